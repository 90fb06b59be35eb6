"""Integration tokens (admin), a company's webhook endpoints and their dead letters (staff, or an integration
token with the `webhooks` scope). Token secrets and webhook secrets are shown once, when made."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from aiohttp import web
from pydantic import SecretStr

from booking_bot.domain import DeliveryStatus, IntegrationToken, Scope, WebhookDelivery, WebhookEndpoint
from booking_bot.gateway.api.auth import Access, new_integration_token, rotated_integration_token
from booking_bot.gateway.api.base import ApiContext, Route, company_of, context, parse, reply
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.models import (
    DeliveryList,
    DeliveryOut,
    IntegrationTokenIn,
    IntegrationTokenIssued,
    IntegrationTokenList,
    IntegrationTokenOut,
    WebhookCreated,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from booking_bot.webhooks.targets import is_public, literal_address

log = logging.getLogger(__name__)
MAX_ENDPOINTS = 10


def now_of(ctx: ApiContext) -> datetime:
    return ctx.clock() if ctx.clock is not None else datetime.now(UTC)


# --- integration tokens (admin) ---------------------------------------------------------------------------------


def token_out(token: IntegrationToken) -> IntegrationTokenOut:
    return IntegrationTokenOut(
        id=token.id,
        name=token.name,
        scopes=list(token.scopes),
        created_at=token.created_at,
        rotated_at=token.rotated_at,
        revoked_at=token.revoked_at,
    )


async def token_of(request: web.Request) -> IntegrationToken:
    company = await company_of(request)
    token = await context(request).store.get_integration_token(company.id, request.match_info["token_id"])
    if token is None:
        raise ApiError(404, "not_found", "no such integration token")
    return token


async def list_integration_tokens(request: web.Request) -> web.Response:
    company = await company_of(request)
    tokens = await context(request).store.list_integration_tokens(company.id)
    return reply(IntegrationTokenList(tokens=[token_out(t) for t in tokens]))


async def create_integration_token(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    body = await parse(request, IntegrationTokenIn)
    token_id, token, digest = new_integration_token(company.id)
    stored = IntegrationToken(
        id=token_id,
        company_id=company.id,
        name=body.name,
        scopes=tuple(dict.fromkeys(body.scopes)),
        secret_hash=digest,
        created_at=now_of(ctx),
    )
    await ctx.store.save_integration_token(stored)
    log.info("company=%s integration token %s created", company.id, token_id)
    return reply(IntegrationTokenIssued(token=token, **token_out(stored).model_dump()), status=201)


async def rotate_integration_token(request: web.Request) -> web.Response:
    ctx = context(request)
    stored = await token_of(request)
    if not stored.active:
        raise ApiError(409, "revoked", "a revoked token stays revoked: create a new one")
    token, digest = rotated_integration_token(stored.company_id, stored.id)
    rotated = stored.model_copy(update={"secret_hash": digest, "rotated_at": now_of(ctx)})
    await ctx.store.save_integration_token(rotated)
    log.info("company=%s integration token %s rotated", stored.company_id, stored.id)
    return reply(IntegrationTokenIssued(token=token, **token_out(rotated).model_dump()), status=201)


async def revoke_integration_token(request: web.Request) -> web.Response:
    ctx = context(request)
    stored = await token_of(request)
    revoked = stored if not stored.active else stored.model_copy(update={"revoked_at": now_of(ctx)})
    await ctx.store.save_integration_token(revoked)
    log.info("company=%s integration token %s revoked", stored.company_id, stored.id)
    return reply(token_out(revoked))


# --- webhook endpoints (staff, or integrations with the webhooks scope) -----------------------------------------


def webhook_out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        events=list(endpoint.events),
        enabled=endpoint.enabled,
        created_at=endpoint.created_at,
    )


def check_target(ctx: ApiContext, url: str) -> None:
    """Refuse loopback, private and link-local literal addresses (the gateway's own network) unless allowed."""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if not host:
        raise ApiError(422, "bad_url", "the webhook URL needs a host")
    if ctx.webhook_private_targets:
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise ApiError(422, "bad_url", "webhook URLs may not point at this machine")
    if literal_address(host) and not is_public(host):
        raise ApiError(422, "bad_url", "webhook URLs may not point at private or local addresses")
    # A name is resolved at every delivery, to public addresses only (booking_bot/webhooks/targets.py).


async def endpoint_of(request: web.Request) -> WebhookEndpoint:
    company = await company_of(request)
    wanted = request.match_info["webhook_id"]
    for endpoint in await context(request).store.list_webhook_endpoints(company.id):
        if endpoint.id == wanted:
            return endpoint
    raise ApiError(404, "not_found", "no such webhook")


async def list_webhooks(request: web.Request) -> web.Response:
    company = await company_of(request)
    endpoints = await context(request).store.list_webhook_endpoints(company.id)
    return reply(WebhookList(webhooks=[webhook_out(e) for e in endpoints]))


async def create_webhook(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    body = await parse(request, WebhookIn)
    check_target(ctx, body.url)
    if len(await ctx.store.list_webhook_endpoints(company.id)) >= MAX_ENDPOINTS:
        raise ApiError(409, "too_many", f"at most {MAX_ENDPOINTS} webhooks per company")
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(
        id="wh_" + secrets.token_hex(8),
        company_id=company.id,
        url=body.url,
        secret=SecretStr(secret),
        events=tuple(dict.fromkeys(body.events)),
        enabled=body.enabled,
        created_at=now_of(ctx),
    )
    await ctx.store.save_webhook_endpoint(endpoint)
    log.info("company=%s webhook %s created", company.id, endpoint.id)
    return reply(WebhookCreated(secret=secret, **webhook_out(endpoint).model_dump()), status=201)


async def update_webhook(request: web.Request) -> web.Response:
    ctx = context(request)
    endpoint = await endpoint_of(request)
    body = await parse(request, WebhookIn)
    check_target(ctx, body.url)
    updated = endpoint.model_copy(
        update={"url": body.url, "events": tuple(dict.fromkeys(body.events)), "enabled": body.enabled}
    )
    await ctx.store.save_webhook_endpoint(updated)
    return reply(webhook_out(updated))


async def rotate_webhook_secret(request: web.Request) -> web.Response:
    ctx = context(request)
    endpoint = await endpoint_of(request)
    secret = "whsec_" + secrets.token_urlsafe(32)
    updated = endpoint.model_copy(update={"secret": SecretStr(secret)})
    await ctx.store.save_webhook_endpoint(updated)
    log.info("company=%s webhook %s secret rotated", endpoint.company_id, endpoint.id)
    return reply(WebhookCreated(secret=secret, **webhook_out(updated).model_dump()), status=201)


async def delete_webhook(request: web.Request) -> web.Response:
    endpoint = await endpoint_of(request)
    await context(request).store.delete_webhook_endpoint(endpoint.company_id, endpoint.id)
    return reply(webhook_out(endpoint))


async def delivery_out(ctx: ApiContext, delivery: WebhookDelivery) -> DeliveryOut:
    event = await ctx.store.get_event(delivery.company_id, delivery.event_id)
    return DeliveryOut(
        event_type=event.type.value if event is not None else None,
        **delivery.model_dump(exclude={"company_id"}),
    )


async def dead_letters(request: web.Request) -> web.Response:
    """Deliveries whose attempts ran out, newest first (at most 100)."""
    ctx = context(request)
    company = await company_of(request)
    dead = await ctx.store.list_webhook_deliveries(company.id, DeliveryStatus.DEAD, limit=100)
    return reply(DeliveryList(deliveries=[await delivery_out(ctx, d) for d in dead]))


async def redeliver_dead_letter(request: web.Request) -> web.Response:
    """A dead letter tried again from the start (the receiver was fixed): pending, attempts back to 0, queued."""
    ctx = context(request)
    company = await company_of(request)
    delivery = await ctx.store.get_webhook_delivery(company.id, request.match_info["delivery_id"])
    if delivery is None:
        raise ApiError(404, "not_found", "no such delivery")
    if delivery.status is not DeliveryStatus.DEAD:
        raise ApiError(409, "not_dead", f"the delivery is {delivery.status.value}: only dead letters are redelivered")
    if ctx.redeliver is None:
        raise ApiError(503, "unavailable", "this gateway cannot queue deliveries")
    now = now_of(ctx)
    fresh = {"status": DeliveryStatus.PENDING, "attempts": 0, "last_status": None, "last_error": None}
    again = delivery.model_copy(update={**fresh, "updated_at": now})
    await ctx.store.update_webhook_delivery(again)
    ctx.redeliver(company.id, delivery.id)
    log.info("company=%s webhook delivery %s redelivered", company.id, delivery.id)
    return reply(await delivery_out(ctx, again), status=202)


C = "/api/v1/companies/{company_id}"
T = C + "/integration-tokens"
W = C + "/webhooks"
ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        T,
        list_integration_tokens,
        Access.ADMIN,
        "The company's integration tokens (no secrets)",
        None,
        IntegrationTokenList,
        errors=(404,),
        tag="integrations",
    ),
    Route(
        "POST",
        T,
        create_integration_token,
        Access.ADMIN,
        "Create an integration token with scopes (shown once)",
        IntegrationTokenIn,
        IntegrationTokenIssued,
        201,
        (400, 404, 422),
        tag="integrations",
    ),
    Route(
        "POST",
        T + "/{token_id}/rotate",
        rotate_integration_token,
        Access.ADMIN,
        "A new secret for the token (the old one stops working)",
        None,
        IntegrationTokenIssued,
        201,
        (404, 409),
        tag="integrations",
    ),
    Route(
        "DELETE",
        T + "/{token_id}",
        revoke_integration_token,
        Access.ADMIN,
        "Revoke the token",
        None,
        IntegrationTokenOut,
        errors=(404,),
        tag="integrations",
    ),
    Route(
        "GET",
        W,
        list_webhooks,
        Access.COMPANY,
        "The company's webhooks (no secrets)",
        None,
        WebhookList,
        errors=(404,),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "POST",
        W,
        create_webhook,
        Access.COMPANY,
        "Add a webhook; its signing secret is shown once",
        WebhookIn,
        WebhookCreated,
        201,
        (400, 404, 409, 422),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "PUT",
        W + "/{webhook_id}",
        update_webhook,
        Access.COMPANY,
        "Change a webhook's URL, events, on/off",
        WebhookIn,
        WebhookOut,
        errors=(400, 404, 422),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "DELETE",
        W + "/{webhook_id}",
        delete_webhook,
        Access.COMPANY,
        "Remove a webhook",
        None,
        WebhookOut,
        errors=(404,),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "POST",
        W + "/{webhook_id}/secret",
        rotate_webhook_secret,
        Access.COMPANY,
        "A new signing secret (shown once)",
        None,
        WebhookCreated,
        201,
        (404,),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "GET",
        C + "/webhook-dead-letters",
        dead_letters,
        Access.COMPANY,
        "Deliveries whose attempts ran out, newest first",
        None,
        DeliveryList,
        errors=(404,),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
    Route(
        "POST",
        C + "/webhook-dead-letters/{delivery_id}/redeliver",
        redeliver_dead_letter,
        Access.COMPANY,
        "Try a dead letter again from the start (pending, attempts 0, queued)",
        None,
        DeliveryOut,
        202,
        (404, 409, 503),
        tag="webhooks",
        scope=Scope.WEBHOOKS,
    ),
)
