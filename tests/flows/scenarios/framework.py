"""Conversations written once and played k times over (pass^k), in each language they are written in, on both
scheduling backends (the built-in calendar and YClients on its fake server).

A `Scenario` is a list of `Step`s: what the customer says — k paraphrases per language, the i-th run takes the i-th
of each step — and what must hold after the bot's reply: its stage, what the reply says (by the template's msgid,
so one expectation serves every language), the draft, the customer's appointments in the salon's system. A scenario
passes in a language only if all k runs pass.

Every run starts from a fresh salon: the demo salon (open 10:00–20:00, Moscow), "now" Friday 2026-11-27 12:00
local (09:00 UTC). Days are given as offsets from that day (1 = Saturday the 28th).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from booking_bot.composition import Embedded, build_embedded, seed_demo
from booking_bot.domain import (
    Action,
    Booking,
    BookingStatus,
    Company,
    ConversationKey,
    ConversationState,
    Customer,
    Stage,
)
from booking_bot.i18n import Catalogs
from booking_bot.ports import SchedulingBackend
from booking_bot.settings import Settings
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_STAFF
from integrations.scheduling.yclients.fake import FakeYClients
from tests.conftest import Chat, FixedClock
from tests.yclients.harness import use_yclients, yclients_stack

K = 4
LANGUAGES = ("en", "ru", "pt", "es")
BACKENDS = ("builtin", "yclients")
ZONE = ZoneInfo("Europe/Moscow")
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Friday 12:00 in Moscow
TODAY = date(2026, 11, 27)
ANY = "*"  # in a check: any value, as long as there is one
RESULTS: dict[tuple[str, str, str], list[bool]] = {}  # (scenario, language, backend) → each run's verdict, this session


@dataclass(frozen=True)
class Appointment:
    """An appointment by catalog names: (service, staff, day offset, "HH:MM"); staff ANY matches anyone."""

    service: str
    staff: str
    day: int
    at: str

    @property
    def start(self) -> datetime:
        return datetime.combine(TODAY + timedelta(days=self.day), time.fromisoformat(self.at), tzinfo=ZONE)


Template = str | tuple[str, str]  # a msgid, or a plural template's (singular, plural): any of its forms


@dataclass(frozen=True)
class Check:
    """What must hold after a step. None: not checked."""

    stage: Stage | tuple[Stage, ...] | None = None
    says: tuple[Template, ...] = ()  # templates whose text (in the run's language) the reply contains
    not_says: tuple[Template, ...] = ()
    service: str | None = None  # the draft's service (catalog name) ...
    staff: str | None = None  # ... and master
    day: int | None = None  # the draft's day (offset)
    at: str | None = None  # the draft's time, or the time asked to confirm
    booked: tuple[Appointment, ...] | None = None  # the customer's active appointments, exactly
    action: Action | None = None  # what the draft is for: a new booking, a move or a cancel
    suspended: bool | None = None  # a booking flow put aside
    offers_after: str | None = None  # every offered time is after this one ("a bit later")


@dataclass(frozen=True)
class Step:
    says: dict[str, tuple[str, ...]]  # language → K paraphrases
    then: Check


@dataclass(frozen=True)
class Scenario:
    name: str  # what it proves, as a test name would say it
    steps: tuple[Step, ...]
    given: tuple[Appointment, ...] = ()  # the customer's appointments before the conversation
    taken: tuple[Appointment, ...] = ()  # other customers' appointments (slots that are not free)
    closed_weekdays: tuple[int, ...] = ()  # the salon is closed on these weekdays (0 = Monday)
    reminded: int | None = None  # index in `given` of an appointment a reminder was just sent for

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGUAGES if all(lang in step.says for step in self.steps))


def say(**paraphrases: tuple[str, ...] | list[str]) -> dict[str, tuple[str, ...]]:
    """`say(en=[...4...], ru=[...4...])`."""
    out = {lang: tuple(texts) for lang, texts in paraphrases.items()}
    for lang, texts in out.items():
        assert len(texts) == K, f"{lang}: {len(texts)} paraphrases, want {K}"
    return out


@dataclass
class Run:
    """One conversation of one scenario: a language, a backend, a paraphrase index."""

    scenario: Scenario
    language: str
    backend: str
    index: int
    transcript: list[str] = field(default_factory=list)
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


_CUSTOMERS = itertools.count(1)


def _settings(tmp: Path) -> Settings:
    return Settings(data_dir=tmp, _env_file=None)


@dataclass
class Salon:
    embedded: Embedded
    company: Company
    fake: FakeYClients | None  # the YClients server, when the salon's calendar is there


@contextlib.asynccontextmanager
async def _salon(backend: str, clock: FixedClock, tmp: Path) -> AsyncIterator[Salon]:
    embedded = build_embedded(_settings(tmp), SimulatedChannel(), clock=clock, in_memory=True, inline_jobs=True)
    try:
        company = await seed_demo(embedded)
        if backend == "builtin":
            yield Salon(embedded, company, None)
            return
        fake = FakeYClients(clock)
        async with yclients_stack(embedded.store, clock, server=fake) as stack:
            yield Salon(embedded, await use_yclients(embedded, stack), fake)
    finally:
        embedded.close()


async def _ids(backend: SchedulingBackend, company: Company) -> tuple[dict[str, str], dict[str, str]]:
    services = {s.name: s.id for s in await backend.services(company)}
    staff = {m.name: m.id for m in await backend.staff(company)}
    return services, staff


async def _setup(salon: Salon, scenario: Scenario, customer: Customer) -> list[Booking]:
    embedded, company = salon.embedded, salon.company
    backend = embedded.services.backend_for(company)
    services, staff = await _ids(backend, company)
    if scenario.closed_weekdays:
        _close(salon, scenario.closed_weekdays)
    made: list[Booking] = []
    for n, (who, appointment) in enumerate(
        [(customer, a) for a in scenario.given]
        + [
            (Customer(company_id=company.id, id=f"+1555099{n:04d}", phone=f"+1555099{n:04d}"), a)
            for n, a in enumerate(scenario.taken)
        ]
    ):
        member = staff[appointment.staff] if appointment.staff != ANY else next(iter(staff.values()))
        outcome = await backend.book(
            company, who, services[appointment.service], member, appointment.start, f"setup-{n}"
        )
        assert outcome.booking is not None, f"setup could not book {appointment}: {outcome.kind}"
        await embedded.store.save_booking(outcome.booking)
        if who is customer:
            made.append(outcome.booking)
    return made


def _close(salon: Salon, weekdays: tuple[int, ...]) -> None:
    """The salon closed on these weekdays: every master's hours without them."""
    hours = {day: spans for day, spans in DEMO_HOURS.items() if day not in weekdays}
    if salon.fake is None:
        for member in DEMO_STAFF:
            salon.embedded.calendar.add_staff(salon.company.id, member, hours)
        return
    for fake_company in salon.fake.companies.values():
        for fake_member in fake_company.staff.values():
            fake_member.hours = {day: list(spans) for day, spans in hours.items()}


def localized(catalogs: Catalogs, language: str, template: Template) -> list[list[str]]:
    """The fixed parts of a template in a language (what any rendering of it contains), per plural form."""
    loc = catalogs.get(language)
    if isinstance(template, str):
        texts = [loc.template(template)]
    else:
        texts = list(dict.fromkeys(loc.template(template[0], template[1], n) for n in (1, 2, 5, 21)))
    return [[part.strip() for part in re.split(r"\{[a-z_]+\}", text) if len(part.strip()) >= 3] for text in texts]


async def play(scenario: Scenario, language: str, backend: str, index: int, tmp: Path) -> Run:
    """Play one run; its `failure` says which step failed and why (with the transcript so far)."""
    run = Run(scenario, language, backend, index)
    clock = FixedClock(START)
    async with _salon(backend, clock, tmp) as salon:
        embedded, company = salon.embedded, salon.company
        customer_id = f"+1555{next(_CUSTOMERS):07d}"
        # After a reminder the customer is no stranger: the reminder went out in their language.
        known = language if scenario.reminded is not None else None
        customer = Customer(company_id=company.id, id=customer_id, phone=customer_id, name="Alex", language=known)
        await embedded.store.upsert_customer(customer)
        given = await _setup(salon, scenario, customer)
        chat = Chat(embedded=embedded, company=company, clock=clock, customer=customer_id, language=None)
        key = ConversationKey(company.id, customer_id)
        if scenario.reminded is not None:
            state = await embedded.services.conversations.load(key) or ConversationState()
            state.reminded_booking_id, state.reminded_at = given[scenario.reminded].id, clock()
            await embedded.services.conversations.save(key, state)
        backend_ = embedded.services.backend_for(company)
        services, staff = await _ids(backend_, company)
        names = {v: k for k, v in (services | staff).items()}
        for number, step in enumerate(scenario.steps, start=1):
            text = step.says[language][index]
            replies = await chat.say(text)
            clock.advance(seconds=30)
            run.transcript += [f"> {text}", *(f"< {r}" for r in replies)]
            problem = await _check(step.then, embedded, company, key, customer, replies, language, names, backend_)
            if problem:
                run.failure = f"step {number} ({text!r}): {problem}\n" + "\n".join(run.transcript)
                return run
    return run


async def _check(
    check: Check,
    embedded: Embedded,
    company: Company,
    key: ConversationKey,
    customer: Customer,
    replies: list[str],
    language: str,
    names: dict[str, str],
    backend: SchedulingBackend,
) -> str | None:
    reply = "\n".join(replies)
    catalogs = embedded.services.catalogs
    for template in check.says:
        forms = localized(catalogs, language, template)
        if not any(all(part in reply for part in parts) for parts in forms):
            missing = next(part for part in forms[0] if part not in reply)
            return f"the reply does not say {template!r} (missing {missing!r})"
    for template in check.not_says:
        if any(parts and all(part in reply for part in parts) for parts in localized(catalogs, language, template)):
            return f"the reply says {template!r}"
    state = await embedded.services.conversations.load(key)
    if state is None:
        return "no conversation state"
    if check.stage is not None:
        wanted = check.stage if isinstance(check.stage, tuple) else (check.stage,)
        if state.stage not in wanted:
            return f"stage {state.stage.value}, want {'/'.join(s.value for s in wanted)}"
    draft = state.draft
    if check.action is not None and draft.action is not check.action:
        return f"the draft is a {draft.action.value}, want a {check.action.value}"
    at = draft.time
    if draft.chosen is not None:
        at = draft.chosen.start.astimezone(ZONE).time()
    staff_id = draft.chosen.staff_id if draft.chosen is not None else draft.staff_id
    for label, want, got in (
        ("service", check.service, names.get(draft.service_id or "")),
        ("staff", check.staff, names.get(staff_id or "")),
        ("day", None if check.day is None else TODAY + timedelta(days=check.day), draft.date),
        ("time", None if check.at is None else time.fromisoformat(check.at), at),
    ):
        if want is None:
            continue
        if want == ANY and got is not None:
            continue
        if want != got:
            return f"draft {label} {got!r}, want {want!r}"
    if check.suspended is not None and (state.suspended is not None) != check.suspended:
        return f"suspended {state.suspended is not None}, want {check.suspended}"
    if check.offers_after is not None:
        after = time.fromisoformat(check.offers_after)
        early = [o.start.astimezone(ZONE).time() for o in state.offered if o.start.astimezone(ZONE).time() <= after]
        if not state.offered or early:
            return f"offered {[o.start.astimezone(ZONE).strftime('%H:%M') for o in state.offered]}, want after {after}"
    if check.booked is not None:
        live = [b for b in await backend.customer_bookings(company, customer) if b.status is BookingStatus.BOOKED]
        got_set = sorted(
            (names.get(b.service_id, b.service_id), names.get(b.staff_id, b.staff_id), b.start.astimezone(ZONE))
            for b in live
        )
        for want_a in check.booked:
            match = next(
                (
                    g
                    for g in got_set
                    if g[0] == want_a.service and (want_a.staff == ANY or g[1] == want_a.staff) and g[2] == want_a.start
                ),
                None,
            )
            if match is None:
                return f"no appointment {want_a} among {got_set}"
            got_set.remove(match)
        if got_set:
            return f"unexpected appointments {got_set}"
    return None
