"""The `WaitlistStore` contract (issue 19), on every store of `test_store_contract.STORE_FACTORIES`: waiting entries,
freed times claimed and held by one offer at a time, visit marks, follow-ups claimed once, and the event reads."""

from __future__ import annotations

from datetime import date, time, timedelta

from booking_bot.domain import (
    Attendance,
    Booking,
    Event,
    EventType,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FreedBy,
    InboundMessage,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    TimeWindow,
    VisitMark,
    VisitSource,
    WaitEntry,
    WaitStatus,
    event_id,
)
from booking_bot.ports import Store
from tests.contract.test_store_contract import NOW, booking, store  # noqa: F401 - the fixture

DAY = date(2026, 3, 12)


def entry(customer: str = "c1", company: str = "acme", **extra: object) -> WaitEntry:
    values: dict[str, object] = {
        "id": WaitEntry.id_for(company, customer, DAY, "cut"),
        "company_id": company,
        "customer_id": customer,
        "service_id": "cut",
        "day": DAY,
        "requested_at": NOW,
        **extra,
    }
    return WaitEntry.model_validate(values)


def opening(booking_id: str = "b1", company: str = "acme", hours: int = 50) -> Opening:
    freed: Booking = booking(booking_id, company_id=company, start=NOW + timedelta(hours=hours))
    return Opening.of(freed, freed.start, FreedBy.CUSTOMER, NOW)


def offer_for(held: Opening, waiting: WaitEntry, minutes: int = 15) -> Offer:
    return Offer(
        id=Offer.id_for(held.company_id, held.id, waiting.id),
        company_id=held.company_id,
        opening_id=held.id,
        entry_id=waiting.id,
        customer_id=waiting.customer_id,
        service_id=waiting.service_id,
        staff_id=held.staff_id,
        start=held.start,
        sent_at=NOW,
        hold_until=NOW + timedelta(minutes=minutes),
    )


async def test_wait_entries_keep_their_place_when_asked_again(store: Store) -> None:  # noqa: F811
    first = await store.save_wait_entry(entry(window=TimeWindow(start=time(9), end=time(12))))
    assert first.window == TimeWindow(start=time(9), end=time(12))
    again = await store.save_wait_entry(entry(requested_at=NOW + timedelta(hours=1), staff_id="anna"))
    assert again.requested_at == NOW and again.staff_id == "anna" and again.window is None
    await store.save_wait_entry(entry("c2", requested_at=NOW + timedelta(minutes=1)))
    await store.save_wait_entry(entry("c3", company="rival"))
    assert [e.customer_id for e in await store.wait_entries("acme", DAY)] == ["c1", "c2"]
    assert await store.wait_entries("acme", DAY + timedelta(days=1)) == []
    assert [e.customer_id for e in await store.wait_entries("rival")] == ["c3"]
    booked = await store.save_wait_entry(again.model_copy(update={"status": WaitStatus.BOOKED}))
    assert booked.status is WaitStatus.BOOKED
    # A booked entry asked for again is a new request: a new place in line.
    renewed = await store.save_wait_entry(entry(requested_at=NOW + timedelta(hours=2)))
    assert renewed.requested_at == NOW + timedelta(hours=2) and renewed.status is WaitStatus.WAITING


async def test_an_opening_is_recorded_once_and_claimed_by_one_scheduler(store: Store) -> None:  # noqa: F811
    freed = opening()
    assert await store.add_openings([freed, freed, opening("b2")]) == 2
    assert await store.add_openings([freed]) == 0
    claimed = await store.claim_openings(NOW, 10, "scheduler-a")
    assert [o.id for o in claimed] == [freed.id, opening("b2").id]
    assert all(o.status is OpeningStatus.CLAIMED for o in claimed)
    assert await store.claim_openings(NOW, 10, "scheduler-b") == []
    assert [o.id for o in await store.claim_openings(NOW + timedelta(minutes=6), 1, "scheduler-b")] == [freed.id]
    assert await store.release_opening("acme", freed.id, "scheduler-a", OpeningStatus.CLOSED) is False  # lost it
    assert await store.release_opening("acme", opening("b2").id, "scheduler-a", OpeningStatus.CLOSED) is True
    assert await store.release_opening("acme", freed.id, "scheduler-b", OpeningStatus.OPEN, NOW + timedelta(hours=1))
    assert await store.claim_openings(NOW + timedelta(minutes=30), 10, "c") == []  # not before its time
    [again] = await store.claim_openings(NOW + timedelta(hours=1), 10, "c")
    assert again.id == freed.id
    assert await store.get_opening("rival", freed.id) is None


async def test_an_offer_holds_the_time_until_it_ends(store: Store) -> None:  # noqa: F811
    freed, first, second = opening(), entry("c1"), entry("c2")
    await store.add_openings([freed])
    await store.save_wait_entry(first)
    await store.claim_openings(NOW, 10, "s1")
    offer = offer_for(freed, first)
    assert await store.hold_opening(offer, "other") is False
    assert await store.hold_opening(offer, "s1") is True
    held = await store.get_opening("acme", freed.id)
    assert held is not None and (held.status, held.offer_id) == (OpeningStatus.HELD, offer.id)
    assert await store.get_offer("acme", offer.id) == offer
    assert await store.holding_offers("acme", NOW) == [offer]
    assert await store.holding_offers("acme", offer.hold_until) == []
    assert await store.claim_openings(NOW + timedelta(hours=1), 10, "s2") == []  # held: nobody else offers it
    assert await store.expired_offers(NOW, 10) == []
    assert [o.id for o in await store.expired_offers(offer.hold_until, 10)] == [offer.id]

    assert await store.finish_offer("acme", offer.id, OfferStatus.DECLINED) is True
    assert await store.finish_offer("acme", offer.id, OfferStatus.EXPIRED) is False  # only from holding
    reopened = await store.get_opening("acme", freed.id)
    assert reopened is not None and (reopened.status, reopened.offer_id) == (OpeningStatus.OPEN, None)

    await store.claim_openings(NOW, 10, "s1")
    next_offer = offer_for(freed, second).model_copy(update={"sent_at": NOW + timedelta(minutes=1)})
    assert await store.hold_opening(next_offer, "s1")
    assert await store.finish_offer("acme", next_offer.id, OfferStatus.ACCEPTED) is True
    filled = await store.get_opening("acme", freed.id)
    assert filled is not None and filled.status is OpeningStatus.FILLED
    assert [(o.customer_id, o.status) for o in await store.offers("acme", freed.id)] == [
        ("c1", OfferStatus.DECLINED),
        ("c2", OfferStatus.ACCEPTED),
    ]
    assert await store.get_offer("rival", offer.id) is None


async def test_a_late_yes_still_fills_the_time_and_books_the_entry(store: Store) -> None:  # noqa: F811
    freed, waiting = opening(), entry("c1")
    await store.add_openings([freed])
    await store.save_wait_entry(waiting)
    await store.claim_openings(NOW, 10, "s1")
    offer = offer_for(freed, waiting)
    await store.hold_opening(offer, "s1")
    assert await store.finish_offer("acme", offer.id, OfferStatus.EXPIRED)
    assert await store.finish_offer("acme", offer.id, OfferStatus.DECLINED) is False
    assert await store.finish_offer("acme", offer.id, OfferStatus.ACCEPTED) is True
    filled = await store.get_opening("acme", freed.id)
    assert filled is not None and filled.status is OpeningStatus.FILLED
    [booked] = await store.wait_entries("acme", DAY)
    assert booked.status is WaitStatus.BOOKED


async def test_staff_marks_win_over_the_salons_system_and_no_shows_are_counted(store: Store) -> None:  # noqa: F811
    def mark(booking_id: str, attendance: Attendance, source: VisitSource, customer: str = "c1") -> VisitMark:
        return VisitMark(
            company_id="acme",
            booking_id=booking_id,
            customer_id=customer,
            attendance=attendance,
            source=source,
            visit_start=NOW - timedelta(hours=3),
            marked_at=NOW,
        )

    assert await store.mark_visit(mark("b1", Attendance.NO_SHOW, VisitSource.SALON)) is True
    assert await store.mark_visit(mark("b1", Attendance.NO_SHOW, VisitSource.SALON)) is False  # nothing new
    assert await store.mark_visit(mark("b1", Attendance.ATTENDED, VisitSource.STAFF)) is True
    assert await store.mark_visit(mark("b1", Attendance.NO_SHOW, VisitSource.SALON)) is False  # staff's stands
    assert await store.mark_visit(mark("b2", Attendance.NO_SHOW, VisitSource.STAFF)) is True
    assert await store.mark_visit(mark("b3", Attendance.NO_SHOW, VisitSource.SALON, customer="c2")) is True
    stored = await store.get_visit("acme", "b1")
    assert stored is not None and (stored.attendance, stored.source) == (Attendance.ATTENDED, VisitSource.STAFF)
    assert await store.no_shows("acme", "c1") == 1
    assert await store.no_shows("rival", "c1") == 0
    assert await store.get_visit("rival", "b1") is None


async def test_followups_are_planned_once_and_claimed_once(store: Store) -> None:  # noqa: F811
    due = FollowUp(
        key="reinvite:acme:b1",
        company_id="acme",
        kind=FollowUpKind.REINVITE,
        due_at=NOW - timedelta(minutes=1),
        booking_id="b1",
        customer_id="c1",
        visit_start=NOW - timedelta(days=1),
    )
    later = FollowUp(
        key="digest:acme:2026-03-10",
        company_id="acme",
        kind=FollowUpKind.DIGEST,
        due_at=NOW + timedelta(hours=1),
        day=date(2026, 3, 10),
    )
    assert await store.plan_followups([due, later, due]) == 2
    assert await store.plan_followups([due]) == 0
    [claimed] = await store.claim_due_followups(NOW, 10, "s1")
    assert claimed == due.model_copy(update={"status": FollowUpStatus.CLAIMED})
    assert await store.claim_due_followups(NOW, 10, "s2") == []
    assert [f.key for f in await store.claim_due_followups(NOW + timedelta(minutes=6), 10, "s2")] == [due.key]
    assert await store.finish_followup("acme", due.key, FollowUpStatus.SENT) is True
    assert await store.finish_followup("acme", due.key, FollowUpStatus.SENT) is False
    sent = await store.get_followup("acme", due.key)
    assert sent is not None and sent.status is FollowUpStatus.SENT
    digest = await store.get_followup("acme", later.key)
    assert digest == later and await store.get_followup("rival", later.key) is None


async def test_events_are_read_by_type_and_time_and_staff_replies_by_chat(store: Store) -> None:  # noqa: F811
    def event(key: str, kind: EventType, minutes: int, company: str = "acme") -> Event:
        return Event(
            id=event_id(company, kind, key),
            company_id=company,
            type=kind,
            occurred_at=NOW + timedelta(minutes=minutes),
            data={"key": key},
        )

    for item in (
        event("a", EventType.BOOKING_CANCELLED, 1),
        event("b", EventType.BOOKING_CREATED, 2),
        event("c", EventType.BOOKING_CANCELLED, 3, company="rival"),
        event("d", EventType.BOOKING_CANCELLED, 30),
    ):
        await store.record_event(item)
    found = await store.events_between((EventType.BOOKING_CANCELLED,), NOW, NOW + timedelta(minutes=30))
    assert [(e.company_id, e.data["key"]) for e in found] == [("acme", "a"), ("rival", "c")]
    kinds = (EventType.BOOKING_CANCELLED, EventType.BOOKING_CREATED)
    acme = await store.events_between(kinds, NOW, NOW + timedelta(hours=1), company_id="acme")
    assert [e.data["key"] for e in acme] == ["a", "b", "d"]

    staff = InboundMessage(
        company_id="acme", message_id="s1", chat_id="chat-1", text="hi", received_at=NOW, from_me=True
    )
    customer = InboundMessage(company_id="acme", message_id="c1", chat_id="chat-2", text="hi", received_at=NOW)
    await store.record_inbound(staff)
    await store.record_inbound(customer)
    assert await store.staff_wrote_since("acme", "chat-1", NOW - timedelta(minutes=1)) is True
    assert await store.staff_wrote_since("acme", "chat-1", NOW) is False
    assert await store.staff_wrote_since("acme", "chat-2", NOW - timedelta(minutes=1)) is False
    assert await store.staff_wrote_since("rival", "chat-1", NOW - timedelta(minutes=1)) is False
