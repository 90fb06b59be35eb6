"""The fake's endpoints: online booking (book_*, PUT book_record, cancel by hash) and admin (records, clients,
visits, cancel), each a function of the server's state and the request; `ROUTES` maps them to method and path."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from aiohttp import web

from integrations.scheduling.yclients.fake.base import FakeApiState
from integrations.scheduling.yclients.fake.state import FakeCompany, FakeRecord
from integrations.scheduling.yclients.fake.wire import Json, digits, ok, parse_local, second_shape_error, usual_error


async def auth(fake: FakeApiState, request: web.Request) -> web.Response:
    """POST /auth: the user token, for the admin's login and password."""
    fake.auth_check(request, admin=False)
    body = await fake.json_body(request)
    if body.get("login") != fake.login or body.get("password") != fake.password:
        raise usual_error(401, "Wrong login or password")
    return ok({"user_token": fake.user_token, "id": 1, "name": "Admin"}, status=201)


async def company_info(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /company/{cid}: the company, with its time zone."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    return ok(
        {
            "id": fake.wire_id(company.id),
            "title": company.title,
            "timezone_name": company.timezone_name,
            "timezone": int(company.aware(company.local_now(fake.clock)).utcoffset() / timedelta(hours=1)),  # type: ignore[operator]
            "phone_confirmation": False,
            "allow_change_record": company.allow_change_record,
        }
    )


async def book_services(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /book_services/{cid}: the active services (of one staff member, when asked)."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    staff_id = request.query.get("staff_id")
    services = [
        s
        for s in company.services.values()
        if s.active and (not staff_id or s.id in company.staff[int(staff_id)].service_ids)
    ]
    data = {
        "services": [
            {
                "id": fake.wire_id(s.id),
                "title": s.title,
                "category_id": s.category_id,
                "price_min": s.price_min,
                "price_max": s.price_max,
                "seance_length": s.seance_length,
                "active": 1,
            }
            for s in services
        ],
        "category": [{"id": 1, "title": "Services"}],
    }
    return ok(data)


async def book_staff(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /book_staff/{cid}: the staff who do every service asked for."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    wanted = {int(v) for v in request.query.getall("service_ids[]", [])}
    staff = [m for m in company.staff.values() if wanted <= m.service_ids]
    data = [
        {
            "id": m.id,
            "name": m.name,
            "specialization": m.specialization,
            "bookable": True,
            "rating": 5,
            "seance_date": None,
        }
        for m in staff
    ]
    return ok(data)


async def book_dates(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /book_dates/{cid}: the days someone works and the days something is free."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    service = company.services.get(int(request.query.get("service_ids[]", "0")))
    staff_id = int(request.query.get("staff_id", "0"))
    start = date.fromisoformat(request.query["date_from"])
    end = date.fromisoformat(request.query["date_to"])
    staff = [m for m in company.staff.values() if staff_id in (0, m.id)]
    booking, working = [], []
    day = start
    while day <= end and service is not None:
        if any(m.hours.get(day.weekday()) for m in staff):
            working.append(day.isoformat())
        if any(service.id in m.service_ids and company.free_times(fake.clock, m, service, day) for m in staff):
            booking.append(day.isoformat())
        day += timedelta(days=1)
    return ok({"booking_dates": booking, "working_dates": working, "booking_days": {}})


async def book_times(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /book_times/{cid}/{staff_id}/{day}: the free starts of a staff member's day for a service."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    staff = company.staff.get(int(request.match_info["staff_id"]))
    if staff is None:
        raise second_shape_error(404, "Staff member not found")
    service_ids = request.query.getall("service_ids[]", [])
    if not service_ids:
        raise usual_error(400, "service_ids[] is required by this fake (the real grid ignores the length)")
    service = company.services.get(int(service_ids[0]))
    if service is None or service.id not in staff.service_ids:
        return ok([])
    day = date.fromisoformat(request.match_info["day"])
    data = [
        {
            "time": t.strftime("%H:%M"),
            "seance_length": service.seance_length,
            "datetime": company.aware(t).isoformat(),
        }
        for t in company.free_times(fake.clock, staff, service, day)
    ]
    return ok(data)


def _appointments(fake: FakeApiState, company: FakeCompany, body: Json) -> list[tuple[int, int, int, datetime]]:
    """(appointment id, staff id, service id, local start) of each appointment; 422 when one can't be booked."""
    appointments = body.get("appointments")
    if not isinstance(appointments, list) or not appointments:
        raise usual_error(400, "appointments are required")
    parsed = []
    for item in appointments:
        try:
            staff_id, service_id = int(item["staff_id"]), int(item["services"][0])
            start = parse_local(company, item["datetime"])
        except (KeyError, TypeError, ValueError, IndexError):
            raise usual_error(400, "Bad appointment") from None
        reason = company.why_not_free(fake.clock, staff_id, service_id, start)
        if reason is not None:
            raise usual_error(422, reason, code=433)
        parsed.append((int(item.get("id", 1)), staff_id, service_id, start))
    return parsed


async def book_check(fake: FakeApiState, request: web.Request) -> web.Response:
    """POST /book_check/{cid}: 201 when every appointment could be booked now, else 422."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    body = await fake.json_body(request)
    async with fake.lock:
        _appointments(fake, company, body)
    return ok(None, status=201)


async def book_record(fake: FakeApiState, request: web.Request) -> web.Response:
    """POST /book_record/{cid}: the records, checked and created atomically."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    body = await fake.json_body(request)
    phone = digits(str(body.get("phone", "")))
    if len(phone) < 10:
        raise usual_error(422, "Wrong phone number", code=431)
    if not str(body.get("fullname") or "").strip():
        raise usual_error(422, "Name is required", code=435)
    async with fake.lock:  # check and insert atomically: two requests never get one slot
        appointments = _appointments(fake, company, body)
        client = company.client(str(body["fullname"]), phone, fake.next_id)
        created = []
        for appointment_id, staff_id, service_id, start in appointments:
            record = FakeRecord(
                id=fake.next_id(),
                company_id=company.id,
                staff_id=staff_id,
                service_id=service_id,
                start=start,
                length=company.services[service_id].seance_length,
                client_id=client.id,
                api_id=str(body.get("api_id") or ""),
                record_hash=secrets.token_hex(8),
                created_at=fake.clock(),
                comment=str(body.get("comment") or ""),
            )
            company.records[record.id] = record
            fake.applied.append(("created", record.id, record.start))
            created.append(
                {"id": appointment_id, "record_id": fake.wire_id(record.id), "record_hash": record.record_hash}
            )
    return ok(created, status=201)


def _record(fake: FakeApiState, company: FakeCompany, request: web.Request) -> FakeRecord:
    record = company.records.get(int(request.match_info["rid"]))
    if record is None or record.deleted:
        raise second_shape_error(404, "Record not found")
    return record


async def move_record(fake: FakeApiState, request: web.Request) -> web.Response:
    """PUT /book_record/{cid}/{rid}: a record to another time (403 when the salon forbids it)."""
    fake.auth_check(request, admin=False)
    company = fake.company_of(request)
    body = await fake.json_body(request)
    async with fake.lock:
        record = _record(fake, company, request)
        if not company.allow_change_record:
            raise usual_error(403, "The company does not allow clients to change records")
        start = parse_local(company, body.get("datetime"))
        reason = company.why_not_free(fake.clock, record.staff_id, record.service_id, start, ignore=record.id)
        if reason is not None:
            raise usual_error(422, reason, code=433)
        record.start = start
        fake.applied.append(("moved", record.id, start))
        if body.get("comment"):
            record.comment = str(body["comment"])
    return ok(fake.record_json(company, record))


async def record_by_hash(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /book_record/{cid}/{rid}/{hash}: a record, for its hash."""
    company = fake.company_of(request)
    record = _record(fake, company, request)
    if request.match_info["hash"] != record.record_hash:
        raise second_shape_error(404, "Record not found")
    return ok(fake.record_json(company, record))


async def cancel_by_hash(fake: FakeApiState, request: web.Request) -> web.Response:
    """DELETE /user/records/{rid}/{hash}: the customer's cancel."""
    fake.auth_check(request, admin=False)
    for company in fake.companies.values():
        record = company.records.get(int(request.match_info["rid"]))
        if record is not None and not record.deleted and record.record_hash == request.match_info["hash"]:
            record.deleted = True
            fake.applied.append(("deleted", record.id, record.start))
            return ok(None)
    raise second_shape_error(404, "Record not found")


async def cancel_admin(fake: FakeApiState, request: web.Request) -> web.Response:
    """DELETE /record/{cid}/{rid}: the admin's cancel (204)."""
    fake.auth_check(request, admin=True)
    company = fake.company_of(request)
    async with fake.lock:
        record = _record(fake, company, request)
        record.deleted = True
        fake.applied.append(("deleted", record.id, record.start))
    return web.Response(status=204)


async def records(fake: FakeApiState, request: web.Request) -> web.Response:
    """GET /records/{cid}: records (deleted ones too) by client and local dates, a page at a time."""
    fake.auth_check(request, admin=True)
    company = fake.company_of(request)
    query = request.query
    if "client_phone" in query:
        raise usual_error(400, "client_phone is not a filter")
    client_id = int(query["client_id"]) if query.get("client_id") else None
    start = date.fromisoformat(query["start_date"]) if query.get("start_date") else date.min
    end = date.fromisoformat(query["end_date"]) if query.get("end_date") else date.max
    page, count = int(query.get("page", "1")), int(query.get("count", "25"))
    found = sorted(
        (
            r
            for r in company.records.values()
            if (client_id is None or r.client_id == client_id) and start <= r.start.date() <= end
        ),
        key=lambda r: (r.start, r.id),
    )
    chunk = found[(page - 1) * count : page * count]
    return ok([fake.record_json(company, r) for r in chunk], meta={"page": page, "total_count": len(found)})


async def clients_search(fake: FakeApiState, request: web.Request) -> web.Response:
    """POST /company/{cid}/clients/search: clients by quick search on phone or name."""
    fake.auth_check(request, admin=True)
    company = fake.company_of(request)
    body = await fake.json_body(request)
    value = ""
    for item in body.get("filters") or []:
        if item.get("type") == "quick_search":
            value = str(item.get("state", {}).get("value", ""))
    found = [c for c in company.clients.values() if value and (value in c.phone or value.lower() in c.name.lower())]
    data = [{"id": c.id, "name": c.name, "phone": f"+{c.phone}"} for c in found[: int(body.get("page_size", 10))]]
    return ok(data, meta={"total_count": len(found)})


async def visit_status(fake: FakeApiState, request: web.Request) -> web.Response:
    """PUT /visits/{visit_id}/{rid}: the visit's attendance."""
    fake.auth_check(request, admin=True)
    body = await fake.json_body(request)
    for company in fake.companies.values():
        record = company.records.get(int(request.match_info["rid"]))
        if record is not None and str(record.visit_id) == request.match_info["visit_id"]:
            record.attendance = int(body.get("attendance", 0))
            return ok(fake.record_json(company, record))
    raise second_shape_error(404, "Visit not found")


Handler = Callable[[FakeApiState, web.Request], Awaitable[web.StreamResponse]]

ROUTES: tuple[tuple[str, str, str, Handler], ...] = (
    ("POST", "/auth", "auth", auth),
    ("GET", "/company/{cid}", "company", company_info),
    ("GET", "/book_services/{cid}", "book_services", book_services),
    ("GET", "/book_staff/{cid}", "book_staff", book_staff),
    ("GET", "/book_dates/{cid}", "book_dates", book_dates),
    ("GET", "/book_times/{cid}/{staff_id}/{day}", "book_times", book_times),
    ("POST", "/book_check/{cid}", "book_check", book_check),
    ("POST", "/book_record/{cid}", "book_record", book_record),
    ("PUT", "/book_record/{cid}/{rid}", "move_record", move_record),
    ("GET", "/book_record/{cid}/{rid}/{hash}", "record_by_hash", record_by_hash),
    ("DELETE", "/user/records/{rid}/{hash}", "cancel_by_hash", cancel_by_hash),
    ("DELETE", "/record/{cid}/{rid}", "cancel_admin", cancel_admin),
    ("GET", "/records/{cid}", "records", records),
    ("POST", "/company/{cid}/clients/search", "clients_search", clients_search),
    ("PUT", "/visits/{visit_id}/{rid}", "visit_status", visit_status),
)
