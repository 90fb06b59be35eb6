"""What a fault run found: the fake's own records and write log against what every customer was told.

Each customer's told actions (read from the bot's booking mirror right after a reply said "booked", "moved" or
"cancelled") are compared with the writes the fake carried out (`FakeApiState.applied`, answered or not) and with
its records at the end:

- double bookings: two live records of one staff member overlapping, or two live records with one `api_id`;
- a customer's overlapping appointments: two live records of one customer at overlapping times;
- done but reported as failed: a write the fake carried out (created, moved to a time, deleted) whose next answer
  to the customer said it failed ("nothing has been changed", "not allowed", "taken", "couldn't find"), or that the
  customer was never told was done;
- told but not done: the customer was told "booked", "moved" or "cancelled" and the fake did no such write;
- confirmations without a record: an appointment the customer was told of (as it stands after every told action)
  that the fake does not show at that time;
- records without a confirmation: a live record of the customer that they were never told of.
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass, field
from datetime import datetime

from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeRecord, FakeYClients

# How a step of a conversation ended.
BOOKED = "booked"
MOVED = "moved"
CANCELLED = "cancelled"
REBOOKED = "moved by cancelling and booking again"  # the salon refused the move; the customer agreed to this
NOTHING_FREE = "honest: nothing free"
UNAVAILABLE = "honest: backend unavailable"
NOT_ALLOWED = "honest: not allowed"
NO_APPOINTMENT = "honest: no such appointment"
NOT_UNDERSTOOD = "not understood"
APOLOGY = "apology (handler error)"
OUT_OF_TURNS = "customer gave up choosing"
SKIPPED = "skipped (an earlier step was not done)"

# An appointment gone by the time it is asked for is honest too (a rebooking after the cancel found the time taken):
# whether anything said was untrue is counted from the fake's writes, not from the endings.
HONEST = frozenset(
    {BOOKED, MOVED, CANCELLED, REBOOKED, NOTHING_FREE, UNAVAILABLE, NOT_ALLOWED, NO_APPOINTMENT, OUT_OF_TURNS, SKIPPED}
)

Action = tuple[str, int, datetime | None]  # ("created" | "moved" | "deleted", record id, naive local start)


@dataclass
class Step:
    """One thing a customer wants done: book, move or cancel, and how it ended."""

    kind: str  # "book" | "move" | "cancel"
    text: str  # the opening message
    booking: int = 0  # move and cancel: which of the customer's bookings (in the order they were booked)
    new_day: str = ""  # move: the new day and time, as said when the bot asks for a day
    ending: str = ""


@dataclass
class Conversation:
    """One customer: their steps, the transcript, and every action they were told was done."""

    customer: str
    steps: list[Step]
    repeats: bool = False  # told "not answering" at a confirmation, says the request again rather than "yes"
    told: list[Action] = field(default_factory=list)
    # (how many writes the fake had carried out when a reply came, whether the reply said an action failed)
    answers: list[tuple[int, bool]] = field(default_factory=list)
    booked_ids: list[int] = field(default_factory=list)  # the record ids told booked, in order
    transcript: list[str] = field(default_factory=list)
    turns: int = 0

    @property
    def phone(self) -> str:
        """The customer's phone as the fake keeps it (digits)."""
        return self.customer.lstrip("+")


@dataclass
class FaultRunReport:
    """The figures of one fault run and a few of the failures found."""

    conversations: int
    fault_rate: float
    seconds: float
    requests: int
    faults: collections.Counter[str]
    endings: collections.Counter[str]
    double_bookings: int
    customer_overlaps: int
    done_not_told: int
    told_not_done: int
    confirmations_without_record: int
    records_without_confirmation: int
    live_records: int
    writes: collections.Counter[str] = field(default_factory=collections.Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every promise kept: the zero lines are zero and every step ended honestly."""
        return (
            self.double_bookings == 0
            and self.customer_overlaps == 0
            and self.done_not_told == 0
            and self.told_not_done == 0
            and self.confirmations_without_record == 0
            and self.records_without_confirmation == 0
            and all(ending.split(": ", 1)[1] in HONEST for ending in self.endings)
        )

    def format(self) -> str:
        """The report as printed by the benchmark and the CI test."""
        by_kind: dict[str, list[str]] = collections.defaultdict(list)
        for ending, n in sorted(self.endings.items()):
            kind, how = ending.split(": ", 1)
            by_kind[kind].append(f"{how} {n}")
        lines = [
            f"conversations: {self.conversations}   fault rate per request: {self.fault_rate:.0%}   "
            f"time: {self.seconds:.1f} s",
            f"API requests: {self.requests}   faults injected: {sum(self.faults.values())} "
            + "("
            + ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
            + ")",
            *(f"{kind} steps: " + ", ".join(by_kind[kind]) for kind in ("book", "move", "cancel") if kind in by_kind),
            "writes the fake carried out: " + ", ".join(f"{k} {v}" for k, v in sorted(self.writes.items())),
            f"live records: {self.live_records}",
            f"double bookings: {self.double_bookings}",
            f"one customer's overlapping appointments: {self.customer_overlaps}",
            f"actions done but reported as failed or not reported: {self.done_not_told}",
            f"actions reported as done that the fake does not show: {self.told_not_done}",
            f"confirmations without a record: {self.confirmations_without_record}",
            f"records without a confirmation (customer told otherwise): {self.records_without_confirmation}",
            "verdict: " + ("OK" if self.ok else "FAILED"),
        ]
        lines += self.failures[:10]
        return "\n".join(lines)


def _overlaps(records: list[FakeRecord]) -> int:
    spans = sorted((r.start, r.end) for r in records)
    return sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])


def _answered_failed(conversation: Conversation, write: int) -> bool:
    """Whether the first answer the customer got after the fake's `write`-th write said an action failed."""
    return next((failed for seen, failed in conversation.answers if seen > write), False)


def _belief(told: list[Action]) -> dict[int, datetime | None]:
    """The appointments a customer was told they have, as they stand after every told action, in order."""
    held: dict[int, datetime | None] = {}
    for what, record_id, start in told:
        if what == "deleted":
            held.pop(record_id, None)
        else:
            held[record_id] = start
    return held


def check(server: FakeYClients, plans: list[Conversation], fault_rate: float, seconds: float) -> FaultRunReport:
    """Count the broken promises of a run from the fake's records and write log."""
    fake = server.companies[DEMO_YCLIENTS_COMPANY_ID]
    live = fake.live_records()
    by_staff: dict[int, list[FakeRecord]] = collections.defaultdict(list)
    by_api_id: collections.Counter[str] = collections.Counter(r.api_id for r in live if r.api_id)
    for record in live:
        by_staff[record.staff_id].append(record)
    double = sum(_overlaps(spans) for spans in by_staff.values()) + sum(n - 1 for n in by_api_id.values())
    phone_of = {c.id: c.phone for c in fake.clients.values()}
    records_of: dict[str, list[FakeRecord]] = collections.defaultdict(list)
    for record in fake.records.values():
        records_of[phone_of[record.client_id]].append(record)
    failures: list[str] = []
    counts = collections.Counter[str]()
    for conversation in plans:
        mine = records_of.get(conversation.phone, [])
        ids = {r.id for r in mine}
        writes = [(n, (w, rid, None if w == "deleted" else at)) for n, (w, rid, at) in enumerate(server.applied)]
        applied = {action for _, action in writes if action[1] in ids}
        told = set(conversation.told)
        failed_after = {action for n, action in writes if action[1] in ids and _answered_failed(conversation, n)}
        not_told = (applied - told) | failed_after
        found = {
            "customer overlaps": _overlaps([r for r in mine if not r.deleted]),
            "done not told": len(not_told),
            "told not done": len(told - applied),
        }
        belief = _belief(conversation.told)
        shown = {r.id: r.start for r in mine if not r.deleted}
        found["confirmations without record"] = sum(1 for rid, at in belief.items() if shown.get(rid) != at)
        found["records without confirmation"] = sum(1 for rid in shown if rid not in belief)
        counts.update(found)
        problems = [f"{what} {n}" for what, n in found.items() if n]
        if problems or any(s.ending not in HONEST for s in conversation.steps):
            detail = (
                f"{', '.join(problems) or 'dishonest ending'}: {conversation.customer} "
                f"(fake did {sorted(not_told, key=str)}, told {sorted(told - applied, key=str)}): "
            )
            failures.append(detail + " | ".join(conversation.transcript))
    endings = collections.Counter(f"{s.kind}: {s.ending}" for c in plans for s in c.steps)
    return FaultRunReport(
        conversations=len(plans),
        fault_rate=fault_rate,
        seconds=seconds,
        requests=len(server.requests),
        faults=collections.Counter(str(kind) for _, kind in server.faults.injected),
        endings=endings,
        double_bookings=double,
        customer_overlaps=counts["customer overlaps"],
        done_not_told=counts["done not told"],
        told_not_done=counts["told not done"],
        confirmations_without_record=counts["confirmations without record"],
        records_without_confirmation=counts["records without confirmation"],
        live_records=len(live),
        writes=collections.Counter(what for what, _, _ in server.applied),
        failures=failures,
    )
