"""Relative edits of what the customer asked for: "a bit later", "an hour earlier", "same time", "the other master",
"not X but Y" — in en, ru, pt, es, over folded text (booking_bot/nlu/normalize.py).

They are read apart from the dates and times: "an hour later" is no clock time, it moves the time the conversation
already has; "same time" keeps it for a new day. The dialogue applies them to its draft (booking_bot/dialogue).
"""

from __future__ import annotations

import re

from booking_bot.domain import Edits

__all__ = ["negated_spans", "read_edits"]

_NUMBER_WORDS: dict[str, int] = {
    # en
    "one": 1, "an": 1, "a": 1, "two": 2, "three": 3, "half": 0,
    # ru
    "час": 1, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "пол": 0,
    # pt / es
    "uma": 1, "um": 1, "una": 1, "un": 1, "duas": 2, "dois": 2, "dos": 2, "tres": 3, "meia": 0, "media": 0,
}  # fmt: skip

_HOURS = r"(?:hours?|hrs?|h|час(?:а|ов)?|horas?)"
_MINUTES = r"(?:minutes?|mins?|m|минут[уы]?|мин|minutos?|min)"
_AMOUNT = (
    r"(?P<n>\d{1,3}|one|an|a|two|three|half(?:\s+an)?|один|одна|два|две|три|пол|uma|um|una|un|duas|dois|dos|tres|"
    r"meia|media)"
)

# "an hour later", "30 min earlier", "на час позже", "на полчаса раньше", "uma hora mais tarde", "media hora antes",
# "una hora después"
_SHIFT_AMOUNT = re.compile(
    rf"(?:на\s+)?(?:{_AMOUNT}\s*-?\s*(?P<unit>{_HOURS}|{_MINUTES})|"
    r"(?P<halfhour>полчаса|half\s+an\s+hour|meia\s+hora|media\s+hora)|(?P<hour>час|hour))"
    r"\s+(?:(?:mais|mas)\s+)?(?P<dir>later|after|earlier|before|sooner|позже|попозже|позднее|раньше|пораньше|"
    r"tarde|depois|despues|cedo|antes|temprano)\b"
)
_LATER = re.compile(
    r"\b(?:(?:a\s+(?:bit|little)|slightly|little\s+bit|bit)\s+later|later\s+(?:on|in\s+the\s+day|time|slot)|"
    r"something\s+later|anything\s+later|(?:^|\s)later\b|"
    r"попозже|позже|позднее|"
    r"(?:um\s+)?(?:pouco|pouquinho|poquito|poco)\s+(?:mais\s+|mas\s+)?tarde|mais\s+tarde|mas\s+tarde)"
)
_EARLIER = re.compile(
    r"\b(?:(?:a\s+(?:bit|little)|slightly|bit)\s+earlier|earlier|sooner|"
    r"пораньше|раньше|"
    r"(?:um\s+)?(?:pouco|pouquinho|poquito|poco)\s+(?:mais\s+|mas\s+)?(?:cedo|temprano)|mais\s+cedo|mas\s+temprano)\b"
)
_SAME_TIME = re.compile(
    r"\b(?:(?:at\s+)?the\s+same\s+time|same\s+time|same\s+hour|"
    r"в\s+(?:то|это|тоже)\s+же?\s*(?:самое\s+)?время|в\s+тоже\s+время|то\s+же\s+время|в\s+то\s+же\s+самое\s+время|"
    r"(?:no|o|a|na)\s+mesm[oa]\s+(?:horario|hora)|mesm[oa]\s+(?:horario|hora)|"
    r"(?:a\s+)?la\s+misma\s+hora|(?:el|al|en\s+el)\s+mismo\s+horario|misma\s+hora|mismo\s+horario)\b"
)
_OTHER_STAFF = re.compile(
    r"\b(?:(?:the\s+)?other\s+(?:master|stylist|barber|hairdresser|one\s+who|girl|guy|person|specialist)|"
    r"(?:another|a\s+different|different)\s+(?:master|stylist|barber|hairdresser|person|specialist|girl|guy)|"
    r"(?:к\s+)?друго(?:му|й|го)\s+мастер\w*|(?:у|к)\s+друго(?:го|му|й)\b|другого\s+мастера|друг(?:ой|ая)\s+мастер\w*|"
    r"(?:com\s+)?(?:o\s+|a\s+)?outr[oa]\s+(?:profissional|cabeleireir[oa]|barbeiro|pessoa|moca|menina|atendente|manicure)|"
    r"(?:con\s+)?(?:el\s+|la\s+)?otr[oa]\s+(?:peluquer[oa]|estilista|barbero|persona|chica|chico|profesional|manicurista))\b"
)
_NEGATION = re.compile(
    r"(?:^|[\s,.!?;:(])(?P<neg>not|no|nope|не|нет|nao|nem|no\s+es)\s+(?P<what>[^,.!?;:]+?)"
    r"(?=\s*(?:,|\.|!|;|\s(?:but|rather|instead|а|но|лучше|mas|e\s+sim|sino|pero|prefiro|prefiero)\b|$))"
)


# "see you later", "I'll call later", "позже напишу", "más tarde te digo", "no later than 5": not an edit of the time.
_NOT_AN_EDIT = re.compile(
    r"(?:see\s+(?:you|ya)|talk|call|text|write|message|speak|chat|decide|confirm|let\s+you\s+know)\b[^.!?]{0,20}"
    r"\b(?:later|tarde|позже)|\b(?:later|earlier)\s+than\b|"
    r"\b(?:позже|попозже)\s+(?:напишу|позвоню|перезвоню|отвечу|скажу|решу|уточню)|"
    r"(?:напишу|позвоню|перезвоню|отвечу|скажу|решу|уточню)\s+(?:\w+\s+)?(?:позже|попозже)|"
    r"\b(?:mais|mas)\s+tarde\s+(?:te|le|lhe|eu)\s+(?:digo|aviso|escribo|escrevo|ligo|falo|llamo|confirmo)|"
    r"(?:te|le|lhe)\s+(?:digo|aviso|escribo|escrevo|ligo|falo|llamo|confirmo)\s+(?:mais|mas)\s+tarde|"
    r"\b(?:hasta|ate)\s+(?:mais|mas)\s+tarde|\bhasta\s+luego"
)
_NONE = Edits()
_CHEAP = re.compile(
    r"later|earlier|sooner|same|other|another|different|позж|поздн|раньш|то\s+же|тоже|это\s+же|друг|tarde|cedo|"
    r"temprano|mesm|misma|mismo|outr|otr|depois|despues|antes"
)


def read_edits(folded: str) -> Edits:
    """The relative edits in one folded message (language-independent: the four languages' words differ)."""
    if not _CHEAP.search(folded):
        return _NONE  # most messages: one search, no edit
    shift: int | None = None
    found = _SHIFT_AMOUNT.search(folded)
    if found is not None:
        shift = _minutes(found) * (1 if found.group("dir") in _LATER_WORDS else -1)
    relative = shift is None and _NOT_AN_EDIT.search(folded) is None
    later = relative and _LATER.search(folded) is not None
    earlier = relative and not later and _EARLIER.search(folded) is not None
    return Edits(
        shift_minutes=shift,
        later=later,
        earlier=earlier,
        same_time=_SAME_TIME.search(folded) is not None,
        other_staff=_OTHER_STAFF.search(folded) is not None,
    )


_LATER_WORDS = frozenset({"later", "after", "позже", "попозже", "позднее", "tarde", "depois", "despues"})


def _minutes(found: re.Match[str]) -> int:
    if found.group("halfhour"):
        return 30
    if found.group("hour"):
        return 60
    amount, unit = found.group("n"), found.group("unit")
    value = int(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount.split()[0], 1)
    hours = re.fullmatch(_HOURS, unit) is not None
    if value == 0:  # "half", "пол", "meia", "media"
        return 30 if hours else 0
    return value * 60 if hours else value


def negated_spans(folded: str) -> list[tuple[int, int]]:
    """Where the text names what the customer does NOT want: "не маникюр, а педикюр" → the span of "маникюр";
    "not with Anna but Bari" → "with anna". A catalog name inside such a span is the one to drop, not to take."""
    return [(m.start("what"), m.end("what")) for m in _NEGATION.finditer(folded)]
