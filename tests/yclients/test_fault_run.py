"""The fault run, small: booking conversations through the core with 30 % of YClients requests failing."""

from __future__ import annotations

from tests.yclients.fault_run import run_fault_conversations


async def test_faulty_yclients_never_double_books_and_never_confirms_without_a_record() -> None:
    report = await run_fault_conversations(conversations=100, fault_rate=0.3, seed=11, concurrency=20)
    print(report.format())
    assert sum(report.faults.values()) > 0.2 * report.requests  # the faults really happened, of every kind
    assert len(report.faults) >= 6
    assert report.double_bookings == 0
    assert report.confirmations_without_record == 0
    assert report.records_without_confirmation == 0
    assert report.ok, report.format()
    assert report.endings["book: booked"] >= 90  # a patient customer gets booked despite the faults
