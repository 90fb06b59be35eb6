"""The demo salon as a YClients company: seeded into the fake, and the `Company` that points at it."""

from __future__ import annotations

from pydantic import SecretStr

from booking_bot.domain import Company, YClientsBackendSettings
from integrations.scheduling.builtin.demo_salon import DEMO_COMPANY_ID, DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF
from integrations.scheduling.yclients.fake.server import FakeYClients
from integrations.scheduling.yclients.fake.state import FakeCompany, FakeService, FakeStaff

DEMO_YCLIENTS_COMPANY_ID = 4564


def seed_demo_salon(server: FakeYClients, company_id: int = DEMO_YCLIENTS_COMPANY_ID) -> FakeCompany:
    """The demo salon's catalog (the built-in calendar's) inside the fake, with numeric YClients ids."""
    company = FakeCompany(id=company_id, title="Demo Salon", timezone_name="Europe/Moscow")
    for n, service in enumerate(DEMO_SERVICES, start=1):
        price = float(service.price or 0)
        company.services[100 + n] = FakeService(
            id=100 + n,
            title=service.name,
            seance_length=service.duration_minutes * 60,
            price_min=price,
            price_max=price,
        )
    for n, member in enumerate(DEMO_STAFF, start=1):
        company.staff[200 + n] = FakeStaff(
            id=200 + n, name=member.name, service_ids=set(company.services), hours=dict(DEMO_HOURS)
        )
    return server.add_company(company)


def yclients_company(base_url: str, server: FakeYClients, company_id: str = DEMO_COMPANY_ID) -> Company:
    """The demo salon as a company whose calendar is in (fake) YClients."""
    return Company(
        id=company_id,
        name="Demo Salon",
        timezone="Europe/Moscow",
        currency="RUB",
        backend=YClientsBackendSettings(
            base_url=base_url,
            company_id=DEMO_YCLIENTS_COMPANY_ID,
            partner_token=SecretStr(server.partner_token),
            user_token=SecretStr(server.user_token),
        ),
    )
