"""The fake YClients server's state and what every endpoint shares: tokens, companies, requests and answers as they
came, the fault plan, and the checks and wire shapes of a request (`FakeYClients` in server.py adds the application).
"""

from __future__ import annotations

import asyncio
import secrets
from collections import deque
from datetime import UTC, datetime

from aiohttp import web

from booking_bot.ports import Clock
from integrations.scheduling.yclients.fake.faults import FaultPlan
from integrations.scheduling.yclients.fake.state import FakeCompany, FakeRecord
from integrations.scheduling.yclients.fake.wire import Json, digits, second_shape_error, usual_error


class FakeApiState:
    """The fake API's state, and the checks and wire shapes its endpoints share."""

    def __init__(
        self,
        clock: Clock,
        partner_token: str = "partner-secret",  # noqa: S107 - the fake's own made-up credentials
        user_token: str = "user-secret",  # noqa: S107
        login: str = "admin@example.com",
        password: str = "admin-password",  # noqa: S107
        wrong_offsets: bool = False,
        string_ids: bool = True,
    ) -> None:
        self.clock = clock
        self.partner_token = partner_token
        self.user_token = user_token
        self.login, self.password = login, password
        self.wrong_offsets = wrong_offsets  # Altegio's DST bug: `datetime` with a wrong offset
        self.string_ids = string_ids  # old-doc quirk: some ids as strings
        self.companies: dict[int, FakeCompany] = {}
        self.faults = FaultPlan()
        self.requests: list[tuple[str, str]] = []  # (method, route) as they arrive
        self.answers: list[tuple[str, int]] = []  # (route, HTTP status) as they are answered
        # Every write the fake carried out, in order: (what, record id, naive local start after it), what being
        # "created", "moved" or "deleted"; answered or not (a lost answer is still applied here).
        self.applied: list[tuple[str, int, datetime]] = []
        self.rate_limit_per_second: int | None = None
        self.lock = asyncio.Lock()  # writes check and apply under it: two requests never get one slot
        self._recent: deque[float] = deque()
        self._ids = iter(range(1000, 10**9))

    # -- setup and inspection ------------------------------------------------------------------------------

    def add_company(self, company: FakeCompany) -> FakeCompany:
        """Serve this company (replacing one with its id)."""
        self.companies[company.id] = company
        return company

    def next_id(self) -> int:
        """A new id for a record or a client."""
        return next(self._ids)

    def calls(self, route: str) -> int:
        """How many requests of that route arrived."""
        return sum(1 for _, name in self.requests if name == route)

    def add_record(
        self,
        company_id: int,
        staff_id: int,
        service_id: int,
        start: datetime,
        phone: str = "70000000000",
        name: str = "Front desk",
        api_id: str = "",
    ) -> FakeRecord:
        """A record made outside the bot (at the front desk). `start` is naive salon-local."""
        company = self.companies[company_id]
        client = company.client(name, digits(phone), self.next_id)
        record = FakeRecord(
            id=self.next_id(),
            company_id=company_id,
            staff_id=staff_id,
            service_id=service_id,
            start=start,
            length=company.services[service_id].seance_length,
            client_id=client.id,
            api_id=api_id,
            record_hash=secrets.token_hex(8),
            created_at=self.clock(),
        )
        company.records[record.id] = record
        self.applied.append(("created", record.id, record.start))
        return record

    # -- what the handlers share ---------------------------------------------------------------------------

    def auth_check(self, request: web.Request, admin: bool) -> None:
        """The partner token (and the user token for admin routes) and the v2 Accept header, or a 401/400."""
        header = request.headers.get("Authorization", "")
        parts = [p.strip() for p in header.split(",")]
        if not parts or parts[0] != f"Bearer {self.partner_token}":
            raise second_shape_error(401, "Partner authentication needed")
        if admin and (len(parts) < 2 or parts[1] != f"User {self.user_token}"):
            raise second_shape_error(401, "User authentication needed")
        if request.headers.get("Accept") != "application/vnd.yclients.v2+json":
            raise usual_error(400, "Wrong Accept header")

    def company_of(self, request: web.Request) -> FakeCompany:
        """The company of the path's `cid`, or a 404."""
        try:
            return self.companies[int(request.match_info["cid"])]
        except (KeyError, ValueError):
            raise second_shape_error(404, "Company not found") from None

    async def json_body(self, request: web.Request) -> Json:
        """The request's JSON object, or a 400."""
        try:
            body = await request.json()
        except ValueError:
            raise usual_error(400, "Body is not JSON") from None
        if not isinstance(body, dict):
            raise usual_error(400, "Body must be an object")
        return body

    def wire_id(self, value: int) -> int | str:
        """An id as this fake sends it (a string, in the old-doc quirk)."""
        return str(value) if self.string_ids else value

    def _datetime_text(self, company: FakeCompany, local: datetime) -> str:
        aware = company.aware(local)
        if self.wrong_offsets:
            aware = local.replace(tzinfo=UTC)
        return aware.isoformat()

    def record_json(self, company: FakeCompany, record: FakeRecord) -> Json:
        """A record as the admin methods return it."""
        service = company.services[record.service_id]
        staff = company.staff[record.staff_id]
        client = company.clients[record.client_id]
        created = record.created_at.astimezone(company.zone)
        return {
            "id": self.wire_id(record.id),
            "company_id": company.id,
            "staff_id": self.wire_id(record.staff_id),
            "services": [{"id": service.id, "title": service.title, "cost": service.price_min}],
            "staff": {"id": staff.id, "name": staff.name},
            "client": {"id": client.id, "name": client.name, "phone": f"+{client.phone}"},
            "date": record.start.strftime("%Y-%m-%d %H:%M:%S"),
            "datetime": self._datetime_text(company, record.start),
            "create_date": created.strftime("%Y-%m-%dT%H:%M:%S%z"),  # `+0300`, no colon: a real quirk
            "seance_length": record.length,
            "length": record.length,
            "api_id": record.api_id or None,
            "deleted": record.deleted,
            "attendance": record.attendance,
            "visit_id": record.visit_id,
            "comment": record.comment,
        }
