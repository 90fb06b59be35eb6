from __future__ import annotations

from datetime import date

import pytest

from booking_bot.domain import Catalog
from booking_bot.nlu import catalog_from_json

TODAY = date(2024, 5, 15)  # a Wednesday


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return catalog_from_json(
        {
            "services": [
                {"name": "Women's haircut", "aliases": ["haircut", "стрижка", "corte de pelo"]},
                {"name": "Men's haircut", "id": "men-cut", "aliases": ["мужская стрижка", "barber cut"]},
                {"name": "Manicure", "aliases": ["nails", "маникюр", "unhas"]},
            ],
            "staff": [
                {"name": "Anna", "aliases": ["Анна", "Аня"]},
                {"name": "Olga", "aliases": ["Ольга", "Оля"]},
                "Bari",
                {"name": "Christopher Stevenson", "aliases": ["Chris"]},
            ],
        }
    )
