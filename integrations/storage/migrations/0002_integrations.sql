-- Events, webhook endpoints and deliveries, integration tokens, and the activity query of the stats page
-- (docs/webhooks.md, docs/api.md). Idempotent like 0001; every table keyed by company_id.

-- The event log: what the assistant did or saw. `id` is deterministic (a retried job's event is the same row).
CREATE TABLE IF NOT EXISTS events (
    company_id text NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS events_time ON events (company_id, occurred_at);

-- A company's webhook endpoints (url, signing secret, event filter) as JSON.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    company_id text NOT NULL,
    id text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id)
);

-- One event to one endpoint: pending → delivered | dead (a dead letter).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    id text NOT NULL,
    event_id text NOT NULL,
    endpoint_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts integer NOT NULL,
    last_status integer,
    last_error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT webhook_deliveries_unique UNIQUE (company_id, id)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_status ON webhook_deliveries (company_id, status, seq);

-- Integration tokens as JSON: only the sha256 of a token's secret is kept.
CREATE TABLE IF NOT EXISTS integration_tokens (
    company_id text NOT NULL,
    id text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id)
);

-- The send API asks when a chat last wrote (only customers who wrote before get messages by default).
CREATE INDEX IF NOT EXISTS inbound_chat_time ON inbound (company_id, chat_id, received_at);
CREATE INDEX IF NOT EXISTS inbound_time ON inbound (company_id, received_at);
CREATE INDEX IF NOT EXISTS outbound_time ON outbound (company_id, recorded_at);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE integration_tokens ENABLE ROW LEVEL SECURITY;

-- One row per [p_bounds[i], p_bounds[i+1]): the stats page's numbers (the same as SqliteStore.activity). The row
-- type is a named composite (PostgREST matches a function by its input argument names only).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'company_activity_row' AND typnamespace = 'public'::regnamespace)
    THEN
        CREATE TYPE company_activity_row AS (
            start_at timestamptz,
            end_at timestamptz,
            messages_in bigint,
            messages_out bigint,
            conversations bigint,
            bookings_created bigint,
            bookings_moved bigint,
            bookings_cancelled bigint,
            reminders_sent bigint,
            reminders_confirmed bigint,
            understood bigint,
            understood_locally bigint,
            replies_timed bigint,
            median_reply_seconds double precision
        );
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION company_activity(p_company_id text, p_bounds timestamptz[])
RETURNS SETOF company_activity_row
LANGUAGE sql STABLE
SET search_path = public
AS $$
    WITH windows AS (
        SELECT p_bounds[i] AS lo, p_bounds[i + 1] AS hi
        FROM generate_series(1, coalesce(array_length(p_bounds, 1), 0) - 1) AS i
    )
    SELECT
        w.lo,
        w.hi,
        (SELECT count(*) FROM inbound i WHERE i.company_id = p_company_id AND NOT i.from_me
            AND i.received_at >= w.lo AND i.received_at < w.hi),
        (SELECT count(*) FROM outbound o WHERE o.company_id = p_company_id
            AND o.recorded_at >= w.lo AND o.recorded_at < w.hi),
        (SELECT count(DISTINCT i.chat_id) FROM inbound i WHERE i.company_id = p_company_id AND NOT i.from_me
            AND i.received_at >= w.lo AND i.received_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'booking.created'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'booking.moved'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'booking.cancelled'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'reminder.sent'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'reminder.confirmed'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'message.received'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi AND jsonb_typeof(e.data -> 'understanding') = 'object'),
        (SELECT count(*) FROM events e WHERE e.company_id = p_company_id AND e.type = 'message.received'
            AND e.occurred_at >= w.lo AND e.occurred_at < w.hi
            AND e.data -> 'understanding' ->> 'why' = 'stage1_sure'),
        r.timed,
        r.median
    FROM windows w
    CROSS JOIN LATERAL (
        SELECT count(*) AS timed,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median
        FROM (
            SELECT extract(epoch FROM min(o.recorded_at) - i.received_at)::double precision AS seconds
            FROM inbound i
            JOIN outbound o ON o.company_id = i.company_id AND o.reply_to = i.message_id
            WHERE i.company_id = p_company_id AND NOT i.from_me AND i.received_at >= w.lo AND i.received_at < w.hi
            GROUP BY i.seq, i.received_at
        ) replied
    ) r
    ORDER BY w.lo;
$$;

-- Removing an endpoint (PostgREST's DELETE is not used by the store; this returns the removed row, if any).
CREATE OR REPLACE FUNCTION delete_webhook_endpoint(p_company_id text, p_id text)
RETURNS SETOF webhook_endpoints
LANGUAGE sql
SET search_path = public
AS $$
    DELETE FROM webhook_endpoints WHERE company_id = p_company_id AND id = p_id RETURNING *;
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON events, webhook_endpoints, webhook_deliveries, integration_tokens
            TO service_role;
        GRANT EXECUTE ON FUNCTION company_activity(text, timestamptz[]), delete_webhook_endpoint(text, text)
            TO service_role;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON events, webhook_endpoints, webhook_deliveries, integration_tokens FROM anon;
        REVOKE EXECUTE ON FUNCTION company_activity(text, timestamptz[]), delete_webhook_endpoint(text, text) FROM anon;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON events, webhook_endpoints, webhook_deliveries, integration_tokens FROM authenticated;
        REVOKE EXECUTE ON FUNCTION company_activity(text, timestamptz[]), delete_webhook_endpoint(text, text)
            FROM authenticated;
    END IF;
END;
$$;
REVOKE EXECUTE ON FUNCTION company_activity(text, timestamptz[]), delete_webhook_endpoint(text, text) FROM PUBLIC;
