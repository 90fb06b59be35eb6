"""Outgoing webhooks: the events the assistant emits, recorded in the store and delivered signed (docs/webhooks.md).

`models` (records), `signing` (HMAC-SHA256 over timestamp + body), `sink` (the `EventSink` the core emits into),
`delivery` (one attempt, its policy), `actors` (the Dramatiq actor with retries, backoff and dead letters).
"""
