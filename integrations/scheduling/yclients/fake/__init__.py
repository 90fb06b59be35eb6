"""A stateful fake of the YClients / Altegio REST API, speaking its wire format (../shared/reference/yclients-api.md).

It keeps companies with services, staff (weekly hours), clients and records (state.py), answers the online-booking
and admin endpoints with the real envelopes, both error shapes (handlers.py, wire.py), checks tokens (base.py), and
injects faults on demand (faults.py, applied by the application in server.py):

- scripted: `server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)` — the next call of that route;
- random: `server.faults.randomly(rate=0.3, seed=7)` — every request, with a mixed kind fitting its route.

Used by the tests (real client against a real socket) and by `booking-bot demo --backend yclients-fake`
(`run_fake_yclients`, `seed_demo_salon`, `yclients_company`): a real component, so it ships with the package.
"""

from integrations.scheduling.yclients.fake.demo_salon import DEMO_YCLIENTS_COMPANY_ID, seed_demo_salon, yclients_company
from integrations.scheduling.yclients.fake.faults import Fault, FaultPlan
from integrations.scheduling.yclients.fake.server import FakeYClients, run_fake_yclients
from integrations.scheduling.yclients.fake.state import FakeClient, FakeCompany, FakeRecord, FakeService, FakeStaff

__all__ = [
    "DEMO_YCLIENTS_COMPANY_ID",
    "FakeClient",
    "FakeCompany",
    "FakeRecord",
    "FakeService",
    "FakeStaff",
    "FakeYClients",
    "Fault",
    "FaultPlan",
    "run_fake_yclients",
    "seed_demo_salon",
    "yclients_company",
]
