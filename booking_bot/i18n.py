"""Localized replies: gettext catalogs from locales/<lang>/LC_MESSAGES/booking_bot.po, formatted with Babel.

The .po files are compiled in memory when loaded, so a fresh checkout needs no build step and a stale .mo can
never shadow an edited .po.
"""

from __future__ import annotations

import gettext
import io
import logging
from contextvars import ContextVar
from datetime import date, datetime, time
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency

from booking_bot.domain import Booking, Company, Service, StaffMember

DOMAIN = "booking_bot"
FALLBACK_LANGUAGE = "en"
log = logging.getLogger(__name__)

current_language: ContextVar[str] = ContextVar("current_language", default=FALLBACK_LANGUAGE)


def N_(msgid: str) -> str:  # the gettext convention for "translate later"
    """Marks a template for extraction where it is chosen at run time."""
    return msgid


# The preposition goes with the weekday: pt "no sábado" but "na segunda-feira", ru "в субботу" but "во вторник".
ON_WEEKDAY = (  # by date.weekday()
    N_("on Monday, {date}"),
    N_("on Tuesday, {date}"),
    N_("on Wednesday, {date}"),
    N_("on Thursday, {date}"),
    N_("on Friday, {date}"),
    N_("on Saturday, {date}"),
    N_("on Sunday, {date}"),
)
RELATIVE_WEEKDAY = (  # the weekday after 'today, ' / 'tomorrow, ' in a sentence (ru 'завтра, в субботу')
    N_("Monday, {date}"),
    N_("Tuesday, {date}"),
    N_("Wednesday, {date}"),
    N_("Thursday, {date}"),
    N_("Friday, {date}"),
    N_("Saturday, {date}"),
    N_("Sunday, {date}"),
)


class Localizer:
    """Renders one language's templates and formats dates, times and prices for it."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations
        try:
            self._locale = Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            self._locale = Locale.parse(FALLBACK_LANGUAGE)

    def t(self, msgid: str, **params: object) -> str:
        """The translated template with `{name}` placeholders filled."""
        text = self._translations.gettext(msgid)
        return text.format(**params) if params else text

    def template(self, msgid: str, plural: str | None = None, n: int = 1) -> str:
        """The translated template itself, placeholders unfilled (what every rendering of it shares); with `plural`,
        the form for `n`."""
        if plural is None:
            return self._translations.gettext(msgid)
        return self._translations.ngettext(msgid, plural, n)

    def tn(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def day(self, value: date, today: date | None = None) -> str:
        """'Saturday, 28 November', prefixed with 'today' / 'tomorrow' where that is true."""
        text = format_date(value, format=self.t("EEEE, d MMMM"), locale=self._locale)
        if today is not None:
            delta = (value - today).days
            if delta == 0:
                return self.t("today, {day}", day=text)
            if delta == 1:
                return self.t("tomorrow, {day}", day=text)
        return text

    def on_day(self, value: date, today: date | None = None) -> str:
        """The day as a sentence says when something happens, its preposition included: 'on Saturday, 28 November'
        (es 'el sábado, …', pt 'no sábado' / 'na segunda-feira', ru 'в субботу'), or 'tomorrow, Saturday,
        28 November' / 'today, …' where that is true (ru 'завтра, в субботу, …'). Templates take it as {on_day}:
        'Free times {on_day}:'. Each weekday is its own template: the preposition and the case go with it."""
        text = format_date(value, format=self.t("d MMMM"), locale=self._locale)
        delta = (value - today).days if today is not None else None
        if delta not in (0, 1):
            return self.t(ON_WEEKDAY[value.weekday()], date=text)
        weekday = self.t(RELATIVE_WEEKDAY[value.weekday()], date=text)  # ru 'завтра, в субботу, …'
        return self.t("today, {day}", day=weekday) if delta == 0 else self.t("tomorrow, {day}", day=weekday)

    def clock(self, value: time | datetime) -> str:
        # CLDR puts a narrow no-break space before AM/PM; a plain space reads the same everywhere.
        return format_time(value, format="short", locale=self._locale).replace("\u202f", " ")

    def money(self, amount: float, currency: str) -> str:
        """'1 500 ₽' / '1,500 RUB': whole amounts without cents, the symbol the language uses (or the code)."""
        pattern = "#,##0 ¤" if float(amount).is_integer() else "#,##0.00 ¤"
        return format_currency(amount, currency, format=pattern, locale=self._locale, currency_digits=False)

    def join(self, items: list[str]) -> str:
        """A human list: 'a, b and c'."""
        if len(items) <= 1:
            return "".join(items)
        return self.t("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


class Catalogs:
    """All languages found under `locales_dir`; unknown languages fall back to English."""

    def __init__(self, locales_dir: Path) -> None:
        self._by_language: dict[str, Localizer] = {}
        for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = po_path.parent.parent.name
            self._by_language[language] = Localizer(language, _compile(po_path))
        if FALLBACK_LANGUAGE not in self._by_language:
            raise RuntimeError(f"no {FALLBACK_LANGUAGE} catalog under {locales_dir}: set BOOKING_BOT_LOCALES_DIR")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._by_language)

    def get(self, language: str | None) -> Localizer:
        base = (language or FALLBACK_LANGUAGE).replace("_", "-").split("-")[0].lower()
        return self._by_language.get(base) or self._by_language[FALLBACK_LANGUAGE]

    def current(self) -> Localizer:
        return self.get(current_language.get())


_COMPILED: dict[tuple[str, int, int], bytes] = {}  # (path, mtime, size) → the catalog compiled, once per process


def _compile(po_path: Path) -> gettext.GNUTranslations:
    """The catalog's translations. Compiling a .po takes ~25 ms; a process that builds many Catalogs (the demo's
    resets, the tests' salons) compiles each file once, and again only when it changes on disk."""
    stat = po_path.stat()
    key = (str(po_path.resolve()), stat.st_mtime_ns, stat.st_size)
    compiled = _COMPILED.get(key)
    if compiled is None:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        compiled = _COMPILED[key] = buffer.getvalue()
    return gettext.GNUTranslations(io.BytesIO(compiled))


def when(loc: Localizer, company: Company, now: datetime, moment: datetime) -> str:
    local = moment.astimezone(company.zone)
    return loc.t("{day}, {time}", day=loc.day(local.date(), company.today(now)), time=loc.clock(local))


def describe_booking(
    loc: Localizer,
    company: Company,
    now: datetime,
    services: list[Service],
    staff: list[StaffMember],
    booking: Booking,
) -> str:
    """'Men's haircut with Anna, tomorrow, Saturday, 28 November, 3:00 PM' in `loc`'s language."""
    service = next((s for s in services if s.id == booking.service_id), None)
    member = next((m for m in staff if m.id == booking.staff_id), None)
    return loc.t(
        "{service} with {staff}, {when}",
        service=service.title(loc.language) if service else "?",
        staff=member.title(loc.language) if member else "?",
        when=when(loc, company, now, booking.start),
    )
