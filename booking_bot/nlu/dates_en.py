"""English date/time/window rules (see `dates` for the conventions)."""

from __future__ import annotations

import re
from datetime import time, timedelta

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import AMPM, Mention, Rules, Scope, alternation, rule
from booking_bot.nlu.dates_calendar import END_OF_DAY, apply_meridiem, day_of_month, month_day
from booking_bot.nlu.dates_shared import (
    bounded,
    date_mention,
    day_number,
    days_later,
    in_days,
    in_time,
    misspelt_weekday,
    named_month,
    noon,
    number,
    numeric_date,
    numeric_pattern,
    period,
    recurrence,
    relative_day,
    week_of,
    weekday,
    year_of,
)

__all__ = ["RULES"]

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
HOURS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_UNITS) if w}
ORDINALS.update({
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
})  # fmt: skip
for _i, _w in enumerate(_UNITS[1:], start=1):
    ORDINALS[f"twenty {_w}"] = 20 + _i
    ORDINALS[f"twenty-{_w}"] = 20 + _i
ORDINALS["thirty first"] = ORDINALS["thirty-first"] = 31
MINUTES = {
    "oh five": 5, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "thirty": 30,
    "thirty five": 35, "forty": 40, "forty five": 45, "fifty": 50, "fifty five": 55,
}  # fmt: skip
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "ten": 10, "fourteen": 14}  # fmt: skip


_SPACE = r"[\s-]+"  # a blank inside a listed word matches this
_WD = alternation(WEEKDAYS, _SPACE)
_MON = alternation(MONTHS, _SPACE)
_HW = alternation(HOURS, _SPACE)
_ORD = alternation(ORDINALS, _SPACE)
_MW = alternation(MINUTES, _SPACE)
_PART = r"morning|afternoon|evening|night"
_PRE = rf"(?:(?:in\s+the\s+|the\s+|this\s+)?(?P<pre>{_PART})\s+(?:at\s+|around\s+|of\s+|by\s+)?)?"
_OCLOCK = r"(?P<oc>\s*o\W{0,2}\s?clock)?"
_POST = (
    r"(?:\s+(?:in\s+the|in\s+the\s+late|in\s+the\s+early|at|this|tomorrow|during\s+the|of\s+the|that)"
    rf"\s+(?P<post>{_PART})|\s+(?P<tonight>tonight))?"
)
_TRIGGER = re.compile(
    r"(?:\b(?:at|around|about|by|until|till|til|for|from|to|or|and|between|after|before|approximately|say|"
    r"than|is|about|like|maybe|perhaps|earliest|latest|then|till|become|meant|mean)|@|~)\s*$"
)
# "12 ok?", "10 would be ideal", "make it 4 instead": a bare hour said as the answer
_TRIGGER_AFTER = re.compile(
    r"\s*(?:ok\b|okay|works|would\s+(?:be|work|suit)|is\s+(?:perfect|fine|good|great|ok|better|best)|instead|suits)"
)
# a number word ("one", "two") reads as an hour after these only ("I'd like one in Fremont" is not 13:00)
_WORD_TRIGGER = re.compile(r"\b(?:at|around|about|by|until|till|after|before|from|between)\s*$|@\s*$")
_WINDOW_BEFORE = re.compile(
    r"\b(?:before|until|till|til|earlier\s+than|no\s+later\s+than)\s*$"
)  # "by 5" is the time itself
_WINDOW_AFTER = re.compile(r"\b(?:after|later\s+than|from|anytime\s+after|any\s+time\s+after)\s*$")
_UNIT_AFTER = re.compile(
    r"\s*(?:%|\$|people|persons?|guests?|of\s+us|kids|children|adults|stars?|dollars?|bucks|usd|eur|euros?|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|times|x\b|miles?|km|percent|reviews?|"
    r"rating|th\b|st\b|nd\b|rd\b|ish\b|boys?\b|girls?\b|sons?\b|daughters?\b|ppl\b|pax\b)"
)


def _make_time(
    m: re.Match[str], scope: Scope, hour: int, minute: int, strong: bool, trigger: re.Pattern[str] = _TRIGGER
) -> Mention | None:
    ampm = m.group("ampm")
    part = m.groupdict().get("pre") or m.group("post") or ("evening" if m.group("tonight") else None)
    head = scope.text[max(0, m.start() - 20) : m.start()]
    triggered = trigger.search(head) is not None
    if not triggered and trigger is _TRIGGER:  # digits only: "this one works" is no one o'clock
        triggered = _TRIGGER_AFTER.match(scope.text, m.end()) is not None
    if not (strong or ampm or part or triggered or scope.expecting is Expecting.TIME):
        return None
    if _UNIT_AFTER.match(scope.text, m.end()) and not (ampm or part):
        return None
    at = apply_meridiem(hour, minute, ampm[0] if ampm else None, part, salon=True)
    if at is None:
        return None
    if m.group("tonight"):
        return Mention("time", m.start(), m.end(), day=scope.today, at=at)
    return bounded(m, at, head, _WINDOW_AFTER, _WINDOW_BEFORE)


def _num_time(m: re.Match[str], scope: Scope) -> Mention | None:
    hour = int(m.group("h"))
    minute = int(m.group("m") or m.group("hm") or 0)
    if m.group("m") and "." in m.group(0) and not (m.group("ampm") or m.group("pre") or m.group("post")):
        head = scope.text[max(0, m.start() - 12) : m.start()]
        # "4.30", "11.30", "19.00" are no day.month (no month 30 or 0) and no price here
        if not (
            _TRIGGER.search(head) or scope.expecting is Expecting.TIME or minute > 12 or (minute == 0 and hour >= 10)
        ):
            return None
    if m.group("hs") and hour < 10 and scope.expecting is not Expecting.TIME:
        return None  # "2h", "3hrs": how long
    strong = m.group("m") is not None or m.group("oc") is not None or m.group("hm") is not None or bool(m.group("hs"))
    return _make_time(m, scope, hour, minute, strong=strong)


def _military(m: re.Match[str], scope: Scope) -> Mention | None:
    """'1730' answering a question for the time."""
    if scope.expecting is not Expecting.TIME:
        return None
    digits = m.group("hm")
    return Mention("time", m.start("hm"), m.end("hm"), at=time(int(digits[:2]), int(digits[2:])))


def _half_hour(m: re.Match[str], scope: Scope) -> Mention | None:
    """British 'half 5' = 5:30 (salon sense: 17:30)."""
    rh = m.group("rh")
    return _make_time(m, scope, int(rh) if rh.isdigit() else HOURS[rh], 30, strong=True)


def _word_time(m: re.Match[str], scope: Scope) -> Mention | None:
    hour = HOURS[m.group("hw")]
    mw = m.group("mw")
    minute = 0
    if mw and "clock" not in mw:
        minute = number(mw, MINUTES, _SPACE)
    return _make_time(m, scope, hour, minute, strong=mw is not None, trigger=_WORD_TRIGGER)


def _rel_time(m: re.Match[str], scope: Scope) -> Mention | None:
    rel = re.sub(r"^a\s+", "", m.group("rel").strip())
    rh = m.group("rh")
    hour = int(rh) if rh.isdigit() else HOURS[rh]
    if rel == "half":
        offset = 30
    elif rel == "quarter":
        offset = 15
    else:
        offset = number(rel.split(" min")[0].strip(), MINUTES, _SPACE)
        if not 0 < offset < 60 or (rel.isdigit() and offset % 5):
            return None  # "from 2 to 4:30" is no "2 minutes to 4"
    if m.group("dir") in ("to", "till", "til", "of", "before"):
        hour, minute = (hour - 1) % 24, 60 - offset
        if hour == 0:
            hour = 12
    else:
        minute = offset
    return _make_time(m, scope, hour, minute, strong=True)


# "that's all for today", "I'm okay for today", "thanks for your help today": a closing, not a day
_CLOSING_BEFORE = re.compile(
    r"(?:\b(?:that(?:'s|\s+is|\s+was|'ll\s+be|\s+will\s+be|\s+would\s+be)|i'?m\s+(?:okay|ok|good|done|set)|"
    r"it'?s\s+all)\b[^.!?]*|\bhelp(?:ing)?(?:\s+me)?\s+|\bache\s+)$"
)


# "yesterday": a past day, read as said; the dialogue says so instead of guessing another
_DAY_WORD = relative_day((("tom", 1), ("tmr", 1), ("2m", 1), ("yesterday", -1)))
_TOMORROW = r"tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmrow|2moro|2morrow|2morow|2mrw"


def _relative_day(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    if m.group(0) == "today" and _CLOSING_BEFORE.search(scope.text, 0, m.start()):
        return None
    return _DAY_WORD(m, scope)


def _day_after(m: re.Match[str], scope: Scope) -> Mention | None:
    """'move tomorrow's appointment to the day after': the day after tomorrow."""
    if not re.search(rf"\b(?:{_TOMORROW})\b", scope.text[: m.start()]):
        return None
    return date_mention(m, scope.today + timedelta(days=2))


_HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "boxing day": (12, 26),
             "new years day": (1, 1), "new years eve": (12, 31)}  # fmt: skip


def _holiday(m: re.Match[str], scope: Scope) -> Mention | None:
    key = re.sub(r"[\s']+", " ", m.group("hol")).replace("xmas", "christmas").replace("new year s", "new years")
    key = key.replace("new year ", "new years ")
    month, day = _HOLIDAYS[key]
    return date_mention(m, month_day(scope.today, month, day))


def _day_month(m: re.Match[str], scope: Scope) -> Mention | None:
    dword = m.group("d")
    day = number(dword, ORDINALS, _SPACE)
    month_word = m.group("mon")
    if month_word == "may" and dword.isdigit() and not m.group("suf") and not m.group("of"):
        return None
    return date_mention(m, month_day(scope.today, MONTHS[month_word], day))


def _month_day(m: re.Match[str], scope: Scope) -> Mention | None:
    dword = m.group("d")
    day = number(dword, ORDINALS, _SPACE)
    month_word = m.group("mon")
    if month_word in ("may", "mar", "sat", "sun") and dword.isdigit() and not m.group("suf"):
        return None
    return date_mention(m, month_day(scope.today, MONTHS[month_word], day, year_of(m)))


def _of_month(m: re.Match[str], scope: Scope) -> Mention | None:
    dword = m.group("d")
    day = number(dword, ORDINALS, _SPACE)
    which = m.group("which")
    return date_mention(m, day_of_month(scope.today, day, this_month=which == "this", next_month=which == "next"))


def _ordinal_word(m: re.Match[str], scope: Scope) -> Mention | None:
    if scope.expecting is not Expecting.DATE:
        return None
    return date_mention(m, day_of_month(scope.today, number(m.group("d"), ORDINALS, _SPACE)))


def _iso(m: re.Match[str], scope: Scope) -> Mention | None:
    return date_mention(m, month_day(scope.today, int(m.group(2)), int(m.group(3)), int(m.group(1))))


_WINDOWS = {
    "morning": (time(8, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(21, 0)),
    "night": (time(19, 0), END_OF_DAY),
    "tonight": (time(17, 0), END_OF_DAY),
    "lunch": (time(12, 0), time(14, 0)),
    "after lunch": (time(13, 0), END_OF_DAY),
    "before lunch": (time(8, 0), time(12, 0)),
    "after work": (time(17, 0), END_OF_DAY),
    "late afternoon": (time(16, 0), END_OF_DAY),  # the day's last times
}


def _window(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    key = m.group("w")
    key = re.sub(r"\s+", " ", key)
    if key.startswith(("after lunch", "after work", "before lunch")):
        pass
    elif key.endswith("lunch") or key.endswith("lunchtime"):
        key = "lunch"
    elif key == "afternoon" and (m.group("late") or m.group("late_in")):
        key = "late afternoon"
    window = _WINDOWS.get(key)
    if window is None:
        return None
    if key == "tonight" or m.group("this"):
        return [
            Mention("date", m.start(), m.start() + 1, day=scope.today),
            Mention("window", m.start() + 1, m.end(), window=window),
        ]
    return Mention("window", m.start(), m.end(), window=window)


_WEEKDAY = weekday(WEEKDAYS, this=r"(?:this|today)\Z")
_WEEKDAY_BEFORE = (
    r"\b(?:(?P<nextweek>next\s+week\s+(?:on\s+)?)|(?P<mod>next|this|coming|this\s+coming|the\s+coming|"
    r"following|the\s+following|today)\s+)?"
)
_WEEKDAY_AFTER = r"(?:,?\s+(?:of\s+)?(?P<nextweek_after>next|the\s+following)\s+week\b|\s+(?:of\s+)?this\s+week\b)?"
# "i sat", "the sun is out", "wed love to" (we'd): these three are other words too
_NOT_A_DAY = {
    "sat": (re.compile(r"\b(?:i|we|you|he|she|they|just|was|were|had|have|has)\s+$"), None),
    "sun": (re.compile(r"\b(?:the|of|in)\s+$"), re.compile(r"\s+(?:is|was|cream|bed|tan|glasses)\b")),
    "wed": (None, re.compile(r"\s+(?:like|love|need|want|prefer|rather|be|have|go|get|better)\b")),
}


def _weekday(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    if m.group("vague"):  # "next Tuesday week": too loose to pick one day; its words are no other day either
        return Mention("vague", m.start(), m.end())
    before, after = _NOT_A_DAY.get(m.group("wd"), (None, None))
    if m.group("mod") is None and before is not None and before.search(scope.text, 0, m.start()):
        return None
    if after is not None and after.match(scope.text, m.end()):
        return None
    return _WEEKDAY(m, scope)


_FULL_MONTHS = {k: v for k, v in MONTHS.items() if len(k) > 3 and k != "sept"}


_WD_FULL = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
RULES = Rules(
    dates=(
        rule(
            rf"\b(?:every|each)\s+(?:other\s+)?(?:{_WD_FULL}|day|morning|afternoon|evening|night|week|month|"
            r"weekend)s?\b"
            rf"|\b(?:on\s+)?(?:{_WD_FULL})s\b|\b(?:daily|weekly|monthly|fortnightly)\b",
            recurrence,
        ),
        rule(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", _iso),
        rule(
            r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|ten|fourteen)\s+(?P<u>days?|weeks?)\s+"
            r"from\s+(?:today|now)\b",
            in_days(NUMBERS, week="week"),
        ),
        rule(rf"\b(?:the\s+)?day\s+after\s+(?:{_TOMORROW})\b", days_later(2)),
        rule(r"\bthe\s+day\s+after\b(?!\s+(?:that|next|the|my|your|\w+day))", _day_after),
        rule(
            rf"\b(?:{_TOMORROW}|today|2day|tonight|tonite|yesterday)(?:'?s)?\b",
            _relative_day,
        ),
        rule(
            r"\b(?P<hol>christmas\s+eve|xmas\s+eve|christmas\s+day|xmas\s+day|boxing\s+day|"
            r"new\s+year'?s?\s+(?:day|eve))\b",
            _holiday,
        ),
        rule(
            rf"\b(?:the\s+)?(?P<d>\d{{1,2}}|{_ORD})(?P<suf>st|nd|rd|th)?\s+(?:day\s+)?(?P<of>of\s+)?"
            rf"(?:the\s+)?(?P<which>this|next|the|current|coming)\s+month\b",
            _of_month,
        ),
        rule(
            rf"\b(?:the\s+)?(?P<d>\d{{1,2}}|{_ORD})(?P<suf>st|nd|rd|th)?\s+(?P<of>of\s+)?(?:the\s+month\s+of\s+)?"
            rf"(?P<mon>{_MON})\b\.?",
            _day_month,
        ),
        rule(
            rf"\b(?P<mon>{_MON})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}}|{_ORD})(?P<suf>st|nd|rd|th)?\b"
            r"(?!\s*(?::\d|[ap]\.?m\b|o\W{0,2}clock))(?:,?\s+(?P<y>\d{4}))?",
            _month_day,
        ),
        rule(numeric_pattern("/."), numeric_date(_TRIGGER, 12, slash_month_first=True, meridiem_after=True)),
        rule(
            rf"{_WEEKDAY_BEFORE}(?P<wd>{_WD})\b(?P<vague>\s+week\b(?!\s+(?:of|from|after|before|ago)))?{_WEEKDAY_AFTER}",
            _weekday,
        ),
        rule(r"\b(?:the\s+)?week\s+of\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\b", week_of),
        rule(
            r"\b(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
            r"(?!\s*(?:floor|place|time|street|st\b|ave|one\b|option|choice|slot|provider|of\s+(?:those|these|them)))",
            day_number,
        ),
        rule(r"\bon\s+the\s+(?P<d>\d{1,2})\b(?![:.]\d|\s*(?:[ap]\.?m\b|o\W{0,2}clock|people|of\s+us))", day_number),
        rule(rf"\bthe\s+(?P<d>{_ORD})\b(?!\s+(?:one|option|choice|time|slot|provider))", _ordinal_word),
        rule(
            r"\bin\s+(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|ten|fourteen)\s+(?P<u>days?|weeks?)\b",
            in_days(NUMBERS, week="week"),
        ),
        rule(
            r"\bin\s+(?:(?P<half>half\s+an\s+hour)|(?P<n>\d{1,3}|an?|one|two|three|four|five|ten)\s+"
            r"(?P<u>hours?|hrs?|minutes?|mins?)\b)",
            in_time(NUMBERS, hour="h"),
        ),
        rule(
            r"\b(?:this|next|the\s+following|the|this\s+coming|the\s+coming|over\s+the)\s+"
            r"(?:weekend|week|month)\b(?!\s+(?:before|after|ago))",
            period("next|following", (("weekend", "weekend"), ("month", "month"))),
        ),
        rule(
            rf"\b(?:in|during|for|sometime\s+in)\s+(?P<mon>{alternation(_FULL_MONTHS, _SPACE)})\b",
            named_month(_FULL_MONTHS),
        ),
        rule(
            r"\b(?:on|for|this|next|till|until|by|before|after)\s+(?P<w>[a-z]{6,})\b",
            misspelt_weekday({w: d for w, d in WEEKDAYS.items() if len(w) > 5}),
        ),
    ),
    times=(
        rule(
            rf"\b{_PRE}(?:(?P<rel>half|(?:a\s+)?quarter|(?:\d{{1,2}}|{_MW})(?:\s+minutes?)?)\s+)"
            rf"(?P<dir>past|after|to|till|til|of|before)\s+(?P<rh>\d{{1,2}}|{_HW})\b{AMPM}{_OCLOCK}{_POST}",
            _rel_time,
        ),
        rule(
            rf"\bhalf\s+(?P<rh>\d{{1,2}}|{_HW})\b(?!\s*(?:an?\b|hours?|hrs?|past|of|price|off|%|[:.]\d))"
            rf"{AMPM}{_POST}",
            _half_hour,
        ),
        rule(
            rf"{_PRE}(?<![\w$€£.,:/#+-])(?P<h>\d{{1,2}})(?:[:.](?P<m>[0-5]\d)|h(?P<hm>[0-5]\d)\b|(?P<hs>h|hrs)\b)?"
            rf"(?![\d/]|(?:st|nd|rd|th)\b|[.:]\d|-\d){AMPM}{_OCLOCK}{_POST}",
            _num_time,
        ),
        rule(
            rf"\b{_PRE}(?P<hw>{_HW})(?:[\s-]+(?P<mw>o\W{{0,2}}\s?clock|{_MW}))?\b{AMPM}{_POST}",
            _word_time,
        ),
        rule(r"\b(?:12\s+)?(?:noon|midday|mid-day|midnight)\b", noon("midnight", _WINDOW_AFTER, _WINDOW_BEFORE)),
        rule(r"^\W*(?P<hm>(?:[01]\d|2[0-3])[0-5]\d)\W*$", _military),
    ),
    windows=(
        rule(
            r"(?<!good )\b(?:(?P<late_in>late\s+in\s+the\s+)|in\s+the\s+|during\s+the\s+|early\s+|"
            r"(?P<late>late)\s+|the\s+|(?P<this>this)\s+)?"
            r"(?P<w>tonight|after\s+lunch|after\s+work|before\s+lunch|lunch\s*time|lunch|"
            r"morning|afternoon|evening|night)s?\b",
            _window,
        ),
    ),
    negation_before=re.compile(
        r"(?:\bnot|n't|\binstead\s+of|\brather\s+than|\bno\s+longer|\bexcept|\bbut\s+not)\s+"
        r"(?:on\s+|for\s+|the\s+|at\s+)*$"
    ),
    refused_before=re.compile(r"\bfrom\s+(?:on\s+|the\s+|my\s+)*$"),  # "move it from tomorrow to Friday"
    unit_after=_UNIT_AFTER,
    alternative=re.compile(
        r"[\s,]*(?:[a-z']+\s+){0,2}?or\s+(?:(?:on|at|the|for|maybe|is\s+it|was\s+it|is\s+that)\s+)*"
    ),
    next_one=re.compile(
        r"\b(?:the\s+)?(?:one\s+after(?:\s+that)?|next\s+one|following\s+one|week\s+after|one\s+next\s+week)\b"
        r"(?!\s+(?:next|the))"
    ),
    range_before=re.compile(r"\bbetween\s*$"),
    range_between=re.compile(r"\s*(?:and|-|&)\s*"),
    correction=re.compile(
        r"\s*(?:(?:no|nope|nah)(?:\s*,\s*|\s+)|,\s*(?:no|nope)\s*,\s*|,?\s*(?:sorry|i\s+mean|actually|wait|"
        r"oops|scratch\s+that)\s*,?\s*)(?:(?:wait|sorry|actually|i\s+mean|make\s+it|let'?s\s+say)[\s,]+)*"
        r"(?:(?:on|the|at|for)\s+)?"
    ),
    reason=re.compile(r"\b(?:because|cause|cuz|coz|since\s+i)\b"),
)
