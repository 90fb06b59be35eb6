from __future__ import annotations

from booking_bot.domain import Catalog, CatalogEntry
from booking_bot.nlu.catalog import index_for
from booking_bot.nlu.normalize import fold
from booking_bot.nlu.stem import stem


def test_stem_meets_inflections() -> None:
    assert stem("ане") == stem("аня") == stem("аню")
    assert stem("ольги") == stem("ольга")
    assert stem("мужскую") == stem("мужская")
    assert stem("bari") == "bari"


def test_fold_strips_latin_accents_only() -> None:
    assert fold("Café ÉTÉ") == "cafe ete"
    assert fold("Йошкар-Ола, Ёлка") == "йошкар-ола, елка"


def test_large_catalog_is_indexed_and_cached() -> None:
    staff = tuple(CatalogEntry(id=f"s{i}", name=f"Stylist{i} Surname{i}") for i in range(800))
    catalog = Catalog(staff=(*staff, CatalogEntry(id="anna", name="Anna", aliases=("Аня",))))
    index = index_for(catalog)
    assert index_for(catalog) is index
    assert index.match(fold("with stylist512 surname512 please"))[1] is not None
    assert index.match(fold("with stylist512 surname512 please"))[1].entry_id == "s512"  # type: ignore[union-attr]
    assert index.match(fold("к Ане"))[1].entry_id == "anna"  # type: ignore[union-attr]
    assert index.match(fold("with surname512"))[1] is None  # every token of a name must be there


def test_a_busy_salons_index_is_not_evicted_by_many_occasional_ones() -> None:
    from booking_bot.nlu import catalog as catalog_module

    hot = Catalog(services=(CatalogEntry(id="cut", name="Haircut"),), staff=())
    index = index_for(hot)
    others = [
        Catalog(services=(CatalogEntry(id=f"s{n}", name=f"Service {n}"),), staff=())
        for n in range(catalog_module._CACHE_SIZE * 3)
    ]
    for other in others:
        index_for(other)
        assert index_for(hot) is index  # used between every other salon's message: never rebuilt
