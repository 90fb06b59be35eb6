"""`booking-bot locales extract|update|check|compile`: the gettext workflow for locales/.

- extract: every template the code uses (`t(...)`, `tn(...)`, `N_(...)` in booking_bot/) into locales/booking_bot.pot
- update:  merge the template into each locales/<lang>/LC_MESSAGES/booking_bot.po (new messages untranslated)
- check:   fail when a catalog misses a message, leaves one untranslated or fuzzy, or changes its placeholders
- compile: compile each catalog (the app compiles in memory at start; this writes .mo files for other tools)
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from booking_bot.i18n import DOMAIN
from booking_bot.settings import PROJECT_ROOT

KEYWORDS: dict[str, tuple[int, ...] | None] = {"t": None, "tn": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SOURCES = PROJECT_ROOT / "booking_bot"


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.what}: {self.msgid!r}"


def template() -> Catalog:
    """The catalog of every message the code uses (plural messages as (singular, plural))."""
    catalog = Catalog(domain=DOMAIN, project="booking-bot", fuzzy=False)
    for _, _, message, _, _ in extract_from_dir(str(SOURCES), method_map=[("**.py", "python")], keywords=KEYWORDS):
        flags = ("python-brace-format",) if "{" in (message if isinstance(message, str) else message[0]) else ()
        catalog.add(message, locations=[], flags=flags)
    return catalog


def catalog_paths(locales: Path) -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, sort_output=True, omit_header=False)


def check(locales: Path) -> list[Problem]:
    """Everything wrong with the catalogs against the code; empty when they are complete."""
    problems: list[Problem] = []
    wanted = template()
    for language, path in catalog_paths(locales).items():
        catalog = read(path)
        for message in wanted:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            found = catalog.get(message.id)
            if found is None:
                problems.append(Problem(language, msgid, "missing"))
                continue
            strings = [found.string] if isinstance(found.string, str) else list(found.string or ())
            if found.fuzzy:
                problems.append(Problem(language, msgid, "fuzzy"))
            if not all(strings):
                problems.append(Problem(language, msgid, "untranslated"))
                continue
            expected = set(PLACEHOLDER.findall(msgid))
            if any(set(PLACEHOLDER.findall(s)) - {"n"} != expected - {"n"} for s in strings):
                problems.append(Problem(language, msgid, "placeholders differ"))
            if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
                problems.append(Problem(language, msgid, f"needs {catalog.num_plurals} plural forms"))
    return problems


def update(locales: Path) -> list[str]:
    """Merge the template into every catalog; returns the languages whose file changed."""
    changed = []
    wanted = template()
    for language, path in catalog_paths(locales).items():
        catalog = read(path)
        before = path.read_bytes()
        catalog.update(wanted, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(path, catalog)
        if path.read_bytes() != before:
            changed.append(language)
    return changed


def compile_all(locales: Path) -> list[Path]:
    written = []
    for path in catalog_paths(locales).values():
        target = path.with_suffix(".mo")
        with target.open("wb") as handle:
            write_mo(handle, read(path), use_fuzzy=False)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booking-bot locales", description="the gettext workflow for locales/")
    parser.add_argument("action", choices=["extract", "update", "check", "compile"])
    parser.add_argument("--locales", type=Path, default=PROJECT_ROOT / "locales")
    args = parser.parse_args(argv)
    locales: Path = args.locales
    if args.action == "extract":
        target = locales / f"{DOMAIN}.pot"
        write(target, template())
        print(f"wrote {target}")
    elif args.action == "update":
        changed = update(locales)
        print("updated: " + (", ".join(changed) if changed else "nothing changed"))
    elif args.action == "compile":
        for path in compile_all(locales):
            print(f"wrote {path}")
    else:
        problems = check(locales)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s): translate them in the .po files", file=sys.stderr)
            return 1
        print(f"catalogs complete: {', '.join(catalog_paths(locales))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
