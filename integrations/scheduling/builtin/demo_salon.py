"""The demo salon: a ready catalog in the built-in calendar, for the demo chat and local runs."""

from __future__ import annotations

from datetime import time

from booking_bot.domain import BuiltinBackendSettings, Company, Service, StaffMember
from integrations.scheduling.builtin.calendar import BuiltinCalendar

DEMO_COMPANY_ID = "demo-salon"

DEMO_SERVICES: tuple[Service, ...] = (
    Service(
        id="mens-haircut",
        name="Men's haircut",
        duration_minutes=30,
        price=1500,
        aliases=(
            "men's cut",
            "haircut for men",
            "mens haircut",
            "мужская стрижка",
            "corte de caballero",
            "corte de hombre",
        ),
        names={"ru": "Мужская стрижка", "pt": "Corte masculino", "es": "Corte de caballero"},
    ),
    Service(
        id="womens-haircut",
        name="Women's haircut",
        duration_minutes=60,
        price=2500,
        aliases=("women's cut", "женская стрижка", "corte de mujer", "corte de señora"),
        names={"ru": "Женская стрижка", "pt": "Corte feminino", "es": "Corte de señora"},
    ),
    Service(
        id="manicure",
        name="Manicure",
        duration_minutes=45,
        price=2000,
        aliases=("nails", "manicure", "маникюр", "unhas", "uñas", "manicura"),
        names={"ru": "Маникюр", "pt": "Manicure", "es": "Manicura"},
    ),
    Service(
        id="hair-colouring",
        name="Hair colouring",
        duration_minutes=120,
        price=6000,
        aliases=("colouring", "coloring", "hair color", "dye", "окрашивание", "покраска", "tintura", "tinte"),
        names={"ru": "Окрашивание", "pt": "Coloração", "es": "Coloración"},
    ),
)

DEMO_STAFF: tuple[StaffMember, ...] = (
    StaffMember(id="anna", name="Anna", aliases=("Анна", "Аня", "Ann", "Anya"), names={"ru": "Анна"}),
    StaffMember(id="bari", name="Bari", aliases=("Бари",), names={"ru": "Бари"}),
    StaffMember(id="olga", name="Olga", aliases=("Ольга", "Оля"), names={"ru": "Ольга"}),
)

DEMO_HOURS: dict[int, list[tuple[time, time]]] = {weekday: [(time(10), time(20))] for weekday in range(7)}


def demo_company() -> Company:
    return Company(
        id=DEMO_COMPANY_ID,
        name="Demo Salon",
        timezone="Europe/Moscow",
        default_language="en",
        currency="RUB",
        address="Tverskaya St. 1, Moscow",
        backend=BuiltinBackendSettings(),
    )


def seed_demo_salon(calendar: BuiltinCalendar) -> None:
    """Put the demo catalog into `calendar`. Idempotent: re-seeding rewrites the same rows."""
    for service in DEMO_SERVICES:
        calendar.add_service(DEMO_COMPANY_ID, service)
    for member in DEMO_STAFF:
        calendar.add_staff(DEMO_COMPANY_ID, member, DEMO_HOURS)
