from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from booking_bot.nlu import catalog_from_json
from booking_bot.nlu.evalcli import main, run


def _run(lines: list[str], catalog_obj: object = None) -> tuple[list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    assert asyncio.run(run(io.StringIO("\n".join(lines) + "\n"), out, err, catalog_from_json(catalog_obj))) == 0
    return [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue()


def test_output_contract() -> None:
    row = {"id": "a", "text": "Book Anna tomorrow at 3 pm", "today": "2019-03-01", "tz": "UTC",
           "expecting": None, "lang": None}  # fmt: skip
    rows, err = _run([json.dumps(row)], {"services": [], "staff": [{"name": "Anna", "aliases": ["Аня"]}]})
    assert err == ""
    probability = rows[0].pop("p")
    assert isinstance(probability, float) and 0.5 < probability <= 1.0  # the intent's calibrated probability
    assert rows[0].pop("sure") is True  # stage 1 is sure: no stage 2 for this line
    assert rows == [
        {
            "id": "a",
            "intent": "book",
            "date": "2019-03-02",
            "time": "15:00",
            "staff": "Anna",
            "service": None,
            "lang": "en",
            "stage": "stage1",
            "why": "stage1_sure",
        }
    ]


def test_bad_lines_do_not_stop_the_run() -> None:
    good = json.dumps({"id": "ok", "text": "yes", "today": "2019-03-01", "expecting": "confirm"})
    bad_date = json.dumps({"id": "bad", "text": "yes", "today": "not a date"})
    rows, err = _run(["{not json", bad_date, good, "[1, 2]"])
    assert [r["id"] for r in rows] == ["bad", "ok"]
    assert rows[0]["intent"] == "other"
    assert rows[1]["intent"] == "affirm"
    assert "line 1" in err
    assert "line 4" in err


def test_main_reads_catalog_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = tmp_path / "cat.json"
    cat.write_text(json.dumps({"services": [{"name": "Manicure", "aliases": ["маникюр"]}], "staff": ["Bari"]}))
    line = json.dumps({"id": "x", "text": "на маникюр к Бари в пятницу", "today": "2019-03-01", "tz": "UTC"})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    assert main(["--catalog", str(cat)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["service"], got["staff"], got["date"], got["lang"]) == ("Manicure", "Bari", "2019-03-08", "ru")


def test_catalog_from_json_ids() -> None:
    catalog = catalog_from_json({"services": [{"name": "Cut", "id": "s1"}], "staff": ["Bari"]})
    assert catalog.services[0].id == "s1"
    assert catalog.staff[0].id == "Bari"
    with pytest.raises(ValueError, match="catalog"):
        catalog_from_json({"services": [42]})


def test_report_scores_labelled_rows_without_giving_their_language_to_the_parser() -> None:
    """A corpus row's `lang` is its gold: a report that passed it as the conversation's language would score the
    language detection on its own answer."""
    from io import StringIO

    from booking_bot.nlu import catalog_from_json
    from booking_bot.nlu.evalcli import run_report

    rows = [
        {"id": "r1", "text": "да", "today": "2026-03-02", "tz": "UTC", "expecting": "confirm", "lang": "pt",
         "intent": "affirm", "also": [], "date": None, "time": None, "service": None, "staff": None},
        {"id": "r2", "text": "book a haircut tomorrow at 3pm", "today": "2026-03-02", "tz": "UTC", "expecting": None,
         "lang": "en", "intent": "book", "also": [], "date": "2026-03-03", "time": "15:00", "service": None,
         "staff": None},
    ]  # fmt: skip
    out = StringIO()
    code = asyncio.run(
        run_report(StringIO("\n".join(json.dumps(r) for r in rows)), out, StringIO(), catalog_from_json(None),
                   as_json=True)
    )  # fmt: skip
    assert code == 0
    figures = json.loads(out.getvalue())
    assert figures["all"]["rows"] == 2 and figures["all"]["intent"] == 100.0
    assert figures["all"]["date"] == 100.0 and figures["all"]["time"] == 100.0
    assert figures["pt"]["lang"] == 0.0  # "да" is Russian: the gold "pt" was not handed to the parser


def test_a_day_already_passed_is_printed_as_no_day() -> None:
    """'who won yesterday?' names no appointment day (the corpus and SGD golds never name a past one); the
    dialogue still gets the day in ParsedMessage and says it has passed."""
    rows, _ = _run(
        [
            json.dumps({"id": "past", "text": "кто вчера футбол выиграл?", "today": "2026-03-04", "tz": "UTC"}),
            json.dumps({"id": "next", "text": "а завтра можно?", "today": "2026-03-04", "tz": "UTC"}),
        ]
    )
    assert {r["id"]: r["date"] for r in rows} == {"past": None, "next": "2026-03-05"}
