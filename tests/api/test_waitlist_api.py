"""The waiting list and visits on a real gateway (issue 19): the salon's settings through the admin API, staff marking
a visit attended or a no-show (the re-invite planned, the event recorded), the waiting list, and the owner's digest
in /api/v1 and on /stats — the same figures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from booking_bot.domain import (
    Booking,
    Event,
    EventType,
    FollowUpKind,
    TimeWindow,
    WaitEntry,
    event_id,
)
from tests.api.harness import gateway_settings, running_gateway

COMPANY = "salon-w"
ZONE = ZoneInfo("Europe/Lisbon")


def visit(booking_id: str, start: datetime, customer: str = "15550000001@s.whatsapp.net") -> Booking:
    return Booking(
        id=booking_id,
        company_id=COMPANY,
        customer_id=customer,
        service_id="cut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        backend_id=booking_id,
    )


async def test_settings_marks_waiting_list_and_digest(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company(COMPANY, "Salon W")
        settings = {
            "name": "Salon W",
            "timezone": "Europe/Lisbon",
            "waitlist": {"hold_minutes": 20},
            "no_shows": {"reinvite": True, "confirm_hours_before": 36, "grace_minutes": 240},
            "digest": {"owner_phone": "+351 912 345 678", "hour": 8},
        }
        updated = await gw.call("PUT", f"/api/v1/companies/{COMPANY}", json=settings)
        assert updated.status == 200, await updated.text()
        company = (await updated.json())["company"]
        assert company["waitlist"] == {"enabled": True, "hold_minutes": 20}
        assert company["no_shows"]["grace_minutes"] == 240 and company["digest"]["hour"] == 8
        bad = await gw.call("PUT", f"/api/v1/companies/{COMPANY}", json={**settings, "waitlist": {"hold_minutes": 0}})
        assert bad.status == 422

        store = gw.ctx.store
        now = datetime.now(UTC)
        past, future = visit("b-past", now - timedelta(hours=2)), visit("b-future", now + timedelta(days=2))
        for booking in (past, future):
            await store.save_booking(booking)
        path = f"/api/v1/companies/{COMPANY}/bookings/b-past/attendance"
        marked = await gw.call("PUT", path, token=token, json={"attendance": "no_show"})
        assert marked.status == 200, await marked.text()
        body = await marked.json()
        assert (body["attendance"], body["source"], body["changed"]) == ("no_show", "staff", True)
        again = await (await gw.call("PUT", path, token=token, json={"attendance": "no_show"})).json()
        assert again["changed"] is False
        reinvite = await store.get_followup(COMPANY, f"reinvite:{COMPANY}:b-past")
        assert reinvite is not None and reinvite.kind is FollowUpKind.REINVITE
        assert await store.no_shows(COMPANY, past.customer_id) == 1
        future_mark = f"/api/v1/companies/{COMPANY}/bookings/b-future/attendance"
        assert (await gw.call("PUT", future_mark, token=token, json={"attendance": "attended"})).status == 409
        unknown = f"/api/v1/companies/{COMPANY}/bookings/nope/attendance"
        assert (await gw.call("PUT", unknown, token=token, json={"attendance": "attended"})).status == 404
        assert (await gw.call("PUT", path, token=token, json={"attendance": "late"})).status == 422
        other = await gw.create_company("salon-x", "Salon X")
        assert (await gw.call("PUT", path, token=other, json={"attendance": "attended"})).status == 403

        today = datetime.now(UTC).astimezone(ZONE).date()
        entry = WaitEntry(
            id=WaitEntry.id_for(COMPANY, "15550000002@s.whatsapp.net", today + timedelta(days=1), "cut"),
            company_id=COMPANY,
            customer_id="15550000002@s.whatsapp.net",
            service_id="cut",
            day=today + timedelta(days=1),
            window=TimeWindow(start=time(9), end=time(12)),
            requested_at=now,
        )
        await store.save_wait_entry(entry)
        waiting = await (await gw.call("GET", f"/api/v1/companies/{COMPANY}/waitlist", token=token)).json()
        assert [(w["chat_id"], w["window_start"]) for w in waiting["waiting"]] == [(entry.customer_id, "09:00:00")]

        yesterday = today - timedelta(days=1)
        noon = datetime.combine(yesterday, time(12), tzinfo=ZONE)
        for n, kind in enumerate((EventType.BOOKING_CREATED, EventType.BOOKING_CREATED, EventType.WAITLIST_BOOKED)):
            await store.record_event(
                Event(id=event_id(COMPANY, kind, f"k{n}"), company_id=COMPANY, type=kind, occurred_at=noon, data={})
            )
        handoff = {"chat_id": "15550000003@s.whatsapp.net", "message_id": "m1", "text": "a person please"}
        await store.record_event(
            Event(
                id=event_id(COMPANY, EventType.HANDOFF_REQUESTED, "m1"),
                company_id=COMPANY,
                type=EventType.HANDOFF_REQUESTED,
                occurred_at=noon,
                data=handoff,
            )
        )
        day = await gw.call("GET", f"/api/v1/companies/{COMPANY}/digest?day={yesterday.isoformat()}", token=token)
        figures = await day.json()
        assert figures == {
            "day": yesterday.isoformat(),
            "bookings_made": 2,
            "refilled": 1,
            "no_shows": 0,
            "handoffs": 1,
            "handoffs_unanswered": 1,
        }
        default = await (await gw.call("GET", f"/api/v1/companies/{COMPANY}/digest", token=token)).json()
        stats = await (await gw.call("GET", f"/api/v1/companies/{COMPANY}/stats", token=token)).json()
        assert default == figures == stats["yesterday"]
        bad_day = await gw.call("GET", f"/api/v1/companies/{COMPANY}/digest?day=yesterday", token=token)
        assert bad_day.status == 422
        [no_show] = await store.events_between((EventType.VISIT_NO_SHOW,), now - timedelta(hours=1), datetime.now(UTC))
        assert no_show.data["booking"]["id"] == "b-past" and no_show.data["source"] == "staff"
