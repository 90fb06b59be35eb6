"""When reminders are due: offsets are real durations across DST, quiet hours respected, nothing too late."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from booking_bot.domain import Booking, Company, ReminderPolicy, plan_reminders

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ZONES = ["Europe/Madrid", "America/Sao_Paulo", "America/New_York", "Europe/Moscow", "Australia/Sydney"]


def company(zone: str = "Europe/Moscow", **policy: object) -> Company:
    return Company(id="c1", name="Salon", timezone=zone, reminders=ReminderPolicy.model_validate(policy))


def visit(start: datetime) -> Booking:
    return Booking(
        id="b1",
        company_id="c1",
        customer_id="+1",
        service_id="s",
        staff_id="a",
        start=start,
        end=start + timedelta(hours=1),
        backend_id="x",
    )


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def test_default_policy_plans_24h_and_2h_before() -> None:
    start = local("Europe/Moscow", 2026, 3, 10, 15, 0)
    assert plan_reminders(company(), visit(start), NOW) == [start - timedelta(hours=24), start - timedelta(hours=2)]


def test_no_reminder_at_3am_it_moves_to_the_end_of_quiet_hours() -> None:
    start = local("Europe/Moscow", 2026, 3, 10, 10, 0)  # 24 h before is 10:00 (fine); 2 h before is 08:00 (quiet)
    due = plan_reminders(company(min_lead_minutes=30), visit(start), NOW)
    assert due == [start - timedelta(hours=24), local("Europe/Moscow", 2026, 3, 10, 9, 0)]


def test_a_quiet_hours_reminder_too_close_to_the_visit_is_dropped() -> None:
    start = local("Europe/Moscow", 2026, 3, 10, 9, 15)  # 2 h before = 07:15 -> 09:00, only 15 min before
    assert plan_reminders(company(), visit(start), NOW) == [start - timedelta(hours=24)]


def test_disabled_policy_and_past_times_plan_nothing() -> None:
    start = NOW + timedelta(hours=3)
    assert plan_reminders(company(enabled=False), visit(start), NOW) == []
    assert plan_reminders(company(quiet_start=None), visit(start), NOW) == [start - timedelta(hours=2)]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2026, 1, 3), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
)
def test_a_reminder_24h_before_is_24_real_hours_before_in_every_zone(zone: str, start: datetime) -> None:
    [first, *_] = plan_reminders(company(zone, quiet_start=None, offsets_minutes=(24 * 60,)), visit(start), NOW)
    assert start - first == timedelta(hours=24)


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2026, 1, 3), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
)
def test_with_quiet_hours_a_reminder_is_on_time_or_at_the_end_of_the_quiet_period(zone: str, start: datetime) -> None:
    policy = {"quiet_start": time(22, 0), "quiet_end": time(9, 0), "offsets_minutes": (24 * 60,), "min_lead_minutes": 0}
    for due in plan_reminders(company(zone, **policy), visit(start), NOW):
        wall = due.astimezone(ZoneInfo(zone)).time()
        assert due == start - timedelta(hours=24) or wall == time(9, 0)
        assert time(9, 0) <= wall < time(22, 0)
        assert due < start
