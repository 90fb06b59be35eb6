"""Matching staff and services of the salon's catalog in a message, through token indexes.

Every name and alias is split into words; each word becomes one or more *slots* of keys: the concepts it stands
for (lexicon.py: "highlights" and "Hair colouring" are both #colour; "Kids' haircut" is #kid + #cut), else its
base form (its Russian stem, or a Latin word without its plural "s" or doubled consonants). A message's words get
keys the same way, plus their transliteration (с Бари → bari), diminutives (Анечка, anita, olguinha, маникюрчик)
and, for words that are no known word of the four languages, one typo (one insertion, deletion, substitution or
swap; words of five letters or more) through a deletion index (SymSpell style), so the cost per message does not
grow with the catalog.

An alias matches when every slot is met by a word of the message, in any order, with at most `_GAP` other words
among them ("corte de pelo de mujer" → "corte de mujer"; "стрижка мужская" → "мужская стрижка"). Words the date
rules read as a date ("12 марта", "en julio") are no name, and a month or weekday is never a typo of one.
When a message names two entries of one side, the first counts, unless a correction or a move comes between
("not Anna, Olga"; "manicure, digo, pedicure"; "from Diego to Bari"); "Anna or Olga?" names none.

The index of a catalog is built once and cached by the catalog object's identity.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from booking_bot.domain import Catalog, CatalogEntry
from booking_bot.nlu import lexicon
from booking_bot.nlu.normalize import fold, tokens
from booking_bot.nlu.stem import stem
from booking_bot.nlu.words import CALENDAR_WORDS, COMMON_WORDS, TIME_PREPOSITIONS

__all__ = ["CatalogIndex", "Match", "index_for", "related_entries"]

_STOP = frozenset({"the", "and", "of", "a", "s", "dr", "md", "m", "d", "inc", "llc", "mr", "mrs", "ms", "у", "к", "с"})
_TYPO_MIN = 5
_LEXICON_TYPO_MIN = 7
_GAP = 2  # other words allowed among an alias's words
_TOKEN = re.compile(r"[a-zа-я0-9]+")
_NO_NAME = _STOP | lexicon.FUNCTION_WORDS
_CYR = re.compile(r"[а-я]")
_RU_DIMINUTIVE = ("ечк", "очк", "оньк", "еньк", "ушк", "юшк", "чик", "ик", "ок", "ек", "ьк", "к")
_LATIN_DIMINUTIVE = re.compile(r"^(?P<base>[a-z]{2,}?)(?:it|ic|zinh|inh)(?P<end>[oa]s?)$")
_RUN = re.compile(r"(\w)\1\1+")  # a letter held down: "juliaaa", "siiim"
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1")  # doubled consonants: anna, massage

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def key_of(token: str) -> str:
    """The stem of a word, as `related_entries` compares them."""
    return stem(token)


def translit(token: str) -> str:
    """Latin spelling of a Cyrillic token ("бари" -> "bari"), so Latin catalog names match Russian text."""
    return token.translate(_TRANSLIT)


def _latin_base(word: str) -> str:
    """A Latin word without its plural "s" and with doubled consonants single ("pedicures" → "pedicure", "anna" →
    "ana"), so that the forms customers write meet the catalog's."""
    word = _RUN.sub(r"\1", word)
    if len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    single = _DOUBLE.sub(r"\1", word)
    return single if len(single) >= 3 else word


@lru_cache(maxsize=65536)
def _bases(word: str) -> tuple[str, ...]:
    """The base forms a folded word is known by: its stem (Russian) or its Latin base."""
    if _CYR.search(word):
        return (stem(_RUN.sub(r"\1", word)),)
    return (_latin_base(word),)


_CONCEPTS: dict[str, tuple[str, ...]] = {}
for _word, _meant in lexicon.CONCEPTS.items():
    _CONCEPTS[_word] = _meant
    for _base in _bases(_word):
        _CONCEPTS.setdefault(_base, _meant)


def _concepts(word: str, bases: Sequence[str]) -> tuple[str, ...] | None:
    found = _CONCEPTS.get(word)
    if found is None:
        for base in bases:
            found = _CONCEPTS.get(base)
            if found is not None:
                break
    return found


def _slots(text: str) -> tuple[frozenset[str], ...]:
    """The slots of one catalog name: each a set of keys any of which meets it."""
    words = [t for t in tokens(fold(text)) if t not in lexicon.FUNCTION_WORDS and t not in _STOP]
    if not words:  # a name made only of function words ("The Hair") keeps them
        words = tokens(fold(text))
    slots: list[frozenset[str]] = []
    for word in words:
        bases = _bases(word)
        concepts = _concepts(word, bases)
        if concepts is not None:
            slots.extend(frozenset({c}) for c in concepts)
            continue
        keys = {word, *bases}
        for form in lexicon.NAME_FORMS.get(word, ()):  # "Anna" is also "Аня", "Анечка", "anya"
            keys |= {form, *_bases(form), translit(form)}
        if _CYR.search(word):  # "Оля" is also met by "olya"
            keys.add(translit(word))
        keys |= {_inflected(key) for key in list(keys) if not _CYR.search(key)}
        slots.append(frozenset(k for k in keys if k))
    return tuple(slots)


def _inflected(latin: str) -> str:
    """A Latin name as the transliterated stem of its Russian forms meets it: "olga" ↔ "к Ольге" (~olg), "anna" ↔
    "у Анны" (~ann), "marta" ↔ "Марту" (~mart). Marked "~", met only by Cyrillic words: the English "Ann" is not
    "Anna". Empty when too short to be safe."""
    if len(latin) >= 4 and latin[-1] in "aeiouy":
        return "~" + latin[:-1]
    return ""


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Match:
    """One catalog entry named in a message."""

    entry_id: str
    name: str
    tokens: int  # how many slots of the alias the message met
    exact: bool  # no typo was needed


@dataclass(frozen=True, slots=True)
class _Alias:
    slots: tuple[frozenset[str], ...]
    entry: CatalogEntry


@dataclass(slots=True)
class _Word:
    """One word of a message: where it is, which keys it offers exactly and whether it may be a typo."""

    pos: int
    start: int
    end: int
    keys: frozenset[str]
    may_typo: bool = False


class _Typos:
    """A deletion index (SymSpell style) over words of five letters or more: what a word one typo away stands for."""

    def __init__(self) -> None:
        self.exact: dict[str, set[str]] = {}  # word -> what it stands for
        self.deletions: dict[str, set[str]] = {}  # deletion -> words

    def add(self, word: str, means: Iterable[str]) -> None:
        self.exact.setdefault(word, set()).update(means)
        if len(word) >= _TYPO_MIN:
            for deletion in _deletes(word):
                self.deletions.setdefault(deletion, set()).add(word)

    def near(self, word: str) -> set[str]:
        """What the words one typo away from `word` stand for (insertion, deletion, substitution, swap)."""
        if len(word) < _TYPO_MIN - 1:
            return set()
        near = set(self.deletions.get(word, ()))  # the message misses a letter
        for deletion in _deletes(word):
            if deletion in self.exact and len(word) >= _TYPO_MIN + 1:  # the message has an extra letter
                near.add(deletion)
            near.update(w for w in self.deletions.get(deletion, ()) if len(w) >= _TYPO_MIN)  # a substitution
        return {meant for w in near for meant in self.exact[w]}


_TYPO_CACHE = 8192  # words per catalog side whose typo reading is kept
_LEXICON_TYPOS = _Typos()
for _word, _meant in lexicon.CONCEPTS.items():
    # a short Latin service word is too near everyday words of the other languages ("tinte" / "tiene")
    if len(_word) >= (_LEXICON_TYPO_MIN - 1 if _CYR.search(_word) else _LEXICON_TYPO_MIN):
        _LEXICON_TYPOS.add(_word, _meant)


@lru_cache(maxsize=65536)
def _lexicon_typos(word: str) -> frozenset[str]:
    return frozenset(_LEXICON_TYPOS.near(word))


class _Side:
    """The index of one catalog side (services or staff)."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.by_key: dict[str, list[_Alias]] = {}
        self.typos = _Typos()
        self._typo_cache: dict[str, frozenset[str]] = {}
        for entry in entries:
            for text in (entry.name, *entry.aliases):
                slots = _slots(text)
                if not slots:
                    continue
                alias = _Alias(slots, entry)
                for key in set().union(*slots):
                    self.by_key.setdefault(key, []).append(alias)
                    if not key.startswith("#"):
                        self.typos.add(key, (key,))

    def typo_keys(self, word: str) -> frozenset[str]:
        """Keys of this side one typo away from a word or its base: its own names' words and the lexicon's."""
        hit = self._typo_cache.get(word)
        if hit is None:
            near = self.typos.near(word) | _lexicon_typos(word)
            for base in _bases(word):
                if base != word:
                    near |= self.typos.near(base) | _lexicon_typos(base)
            hit = frozenset(k for k in near if k in self.by_key)
            if len(self._typo_cache) >= _TYPO_CACHE:
                self._typo_cache.clear()
            self._typo_cache[word] = hit
        return hit

    def matches(self, words: list[_Word], typos: dict[int, frozenset[str]]) -> list[tuple[int, int, int, bool, _Alias]]:
        """Every alias the words meet, exactly or through the `typos` keys of a word: (first word, last word,
        slots, exact, alias)."""
        where: dict[str, list[tuple[int, bool]]] = {}
        for word in words:
            for key in word.keys:
                if key in self.by_key:
                    where.setdefault(key, []).append((word.pos, True))
            for key in typos.get(word.pos, ()):
                if key not in word.keys:
                    where.setdefault(key, []).append((word.pos, False))
        seen: set[int] = set()
        found: list[tuple[int, int, int, bool, _Alias]] = []
        for key in where:
            for alias in self.by_key[key]:
                if id(alias) in seen:
                    continue
                seen.add(id(alias))
                best = _cover(alias.slots, where)
                if best is not None:
                    found.append((best[0], best[1], len(alias.slots), best[2], alias))
        return found


def _cover(slots: tuple[frozenset[str], ...], where: dict[str, list[tuple[int, bool]]]) -> tuple[int, int, bool] | None:
    """The tightest run of message words meeting every slot: (first, last, exact), or None."""
    options: list[list[tuple[int, bool]]] = []
    for slot in slots:
        hits = [hit for key in slot for hit in where.get(key, ())]
        if not hits:
            return None
        options.append(hits)
    best: tuple[int, int, bool] | None = None
    for anchor, exact in options[0]:
        lo = hi = anchor
        all_exact = exact
        for hits in options[1:]:
            pos, hit_exact = min(hits, key=lambda h: (max(hi, h[0]) - min(lo, h[0]), not h[1]))
            lo, hi = min(lo, pos), max(hi, pos)
            all_exact = all_exact and hit_exact
        if hi - lo + 1 > len(slots) + _GAP:
            continue
        if best is None or (hi - lo, not all_exact) < (best[1] - best[0], not best[2]):
            best = (lo, hi, all_exact)
    return best


class CatalogIndex:
    """The token indexes of one catalog: services and staff."""

    def __init__(self, catalog: Catalog) -> None:
        self.services = _Side(catalog.services)
        self.staff = _Side(catalog.staff)

    def match(self, folded: str, skip: Sequence[tuple[int, int]] = ()) -> tuple[Match | None, Match | None]:
        """(service, staff) named in a folded message; words inside the `skip` spans (dates) are no names."""
        words = _words(folded, skip)
        found = []
        for side in (self.services, self.staff):
            typos = {w.pos: side.typo_keys(folded[w.start : w.end]) for w in words if w.may_typo}
            found.append(_choose(folded, words, side.matches(words, typos)))
        return found[0], found[1]


def _words(folded: str, skip: Sequence[tuple[int, int]]) -> list[_Word]:
    """The message's words with their exact keys (a phrase of lexicon.PHRASES is one word)."""
    phrases: list[tuple[int, int, tuple[str, ...]]] = []
    if lexicon.PHRASE_HINT.search(folded):
        for pattern, concepts in lexicon.PHRASES:
            phrases.extend((m.start(), m.end(), concepts) for m in pattern.finditer(folded))
    words: list[_Word] = []
    previous = ""
    for m in _TOKEN.finditer(folded):
        raw = m.group()
        start = m.start()
        if raw in _NO_NAME or raw.isdigit() or (skip and any(s <= start < e for s, e in skip)):
            previous = raw
            continue
        if phrases:
            phrase = next((p for p in phrases if p[0] <= start < p[1]), None)
            if phrase is not None:
                if not words or words[-1].start < phrase[0]:  # the phrase is one word
                    words.append(_Word(len(words), phrase[0], phrase[1], frozenset(phrase[2])))
                continue
        if raw in CALENDAR_WORDS and (previous in TIME_PREPOSITIONS or previous.isdigit()):
            previous = raw
            continue  # "in March", "12 марта": a month, not Marta
        keys, may_typo = _keys(raw)
        words.append(_Word(len(words), start, m.end(), keys, may_typo))
        previous = raw
    return words


@lru_cache(maxsize=65536)
def _keys(raw: str) -> tuple[frozenset[str], bool]:
    """A message word's exact keys, and whether it may be read as a typo of a name."""
    calendar = raw in CALENDAR_WORDS
    bases = _bases(raw)
    concepts = _concepts(raw, bases)
    if concepts is not None:
        return frozenset(concepts), False
    keys = {raw, *bases}
    if _CYR.search(raw):
        for base in bases:
            keys.add(translit(base))
            keys.add("~" + translit(base))  # meets a Latin name's Russian forms (`_inflected`)
            for suffix in _RU_DIMINUTIVE:  # Анечка, Юлечка, бровки, маникюрчик
                if base.endswith(suffix) and len(base) - len(suffix) >= 2:
                    keys.add(base[: -len(suffix)])
                    break
        keys.add(translit(raw))
        may_typo = True
    else:
        small = _LATIN_DIMINUTIVE.match(raw)
        if small is not None:  # anita, olguita, olguinha, martita, uñitas
            base = small.group("base")
            base = base[:-1] if base.endswith("gu") else base
            keys.add(_latin_base(base + small.group("end")))
        may_typo = raw not in COMMON_WORDS
    return frozenset(keys), may_typo and not calendar


def _choose(folded: str, words: list[_Word], found: list[tuple[int, int, int, bool, _Alias]]) -> Match | None:
    """The entry the customer means among the aliases found (see the module's docstring)."""
    if not found:
        return None
    # an alias inside a longer one of another entry ("стрижка" inside "мужская стрижка") gives way
    found.sort(key=lambda f: (-f[2], not f[3], f[1] - f[0], f[0]))
    kept: list[tuple[int, int, int, bool, _Alias]] = []
    for item in found:
        if any(k[4].entry.id == item[4].entry.id or (item[0] <= k[1] and k[0] <= item[1]) for k in kept):
            continue
        kept.append(item)
    kept.sort(key=lambda f: f[0])
    kept = [k for k in kept if not _negated(folded, words[k[0]].start, len(kept) > 1)]  # "not Diego"
    if not kept:
        return None
    chosen = kept[0]
    for later in kept[1:]:
        between = folded[words[chosen[1]].end : words[later[0]].start]
        before_first = folded[max(0, words[chosen[0]].start - 8) : words[chosen[0]].start]
        before_later = folded[max(0, words[later[0]].start - 8) : words[later[0]].start]
        if lexicon.CORRECTION.search(between) or (
            lexicon.MOVE_FROM.search(before_first) and lexicon.MOVE_TO.search(before_later)
        ):
            chosen = later
        elif lexicon.OR_WORDS.search(between):
            return None
    return Match(chosen[4].entry.id, chosen[4].entry.name, chosen[2], chosen[3])


def _negated(folded: str, start: int, contrast: bool) -> bool:
    """Whether the words right before `start` refuse what follows ("not with Bari", "não é manicure"); a bare
    "no" right before counts only in a `contrast` of two names ("pedicura, no manicura")."""
    clause = re.split(r"[,.!?;:]", folded[max(0, start - 24) : start])[-1]  # "no, con Olga" is no refusal of Olga
    said = tokens(clause)
    if said and said[-1] == "no" and not contrast:
        return False  # right before one name "no" is Portuguese "in the" ("no pé", "no Diego"), rarely "not"
    before = [t for t in said if t not in lexicon.FUNCTION_WORDS]
    while before and before[-1] in lexicon.COPULA:
        before.pop()
    return bool(before) and before[-1] in lexicon.NEGATION


_CACHE: dict[int, tuple[weakref.ref[Catalog], CatalogIndex]] = {}
_CACHE_SIZE = 32  # an index of the demo salon's catalog takes ~76 KiB and ~0.2 ms to build


def index_for(catalog: Catalog) -> CatalogIndex:
    """The (cached) index of a catalog, keyed by object identity; the least recently used one is dropped first,
    so the salons writing most keep theirs however many others write now and then."""
    key = id(catalog)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is catalog:
        _CACHE[key] = _CACHE.pop(key)  # most recently used: last
        return hit[1]
    index = CatalogIndex(catalog)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (weakref.ref(catalog), index)
    return index


_FUNCTION_WORDS = frozenset(
    {"for", "with", "you", "can", "get", "want", "book", "need", "like", "some", "please", "have", "this", "that",
     "для", "или", "мне", "меня", "хочу", "нужна", "нужно", "можно", "запишите", "записаться"}
)  # fmt: skip


def related_entries(entries: Iterable[CatalogEntry], text: str) -> list[str]:
    """Ids of the entries sharing a significant word with `text`, in catalog order.

    For a message that names a service only in part ("a haircut" when the salon has a men's and a women's
    haircut): the dialogue asks which of these, or takes the only one.
    """

    def words(value: str) -> set[str]:
        found: set[str] = set()
        for t in tokens(fold(value)):
            if len(t) < 3 or t in _STOP or t in _FUNCTION_WORDS:
                continue
            found.add(key_of(t))
            found.update(_concepts(t, _bases(t)) or ())  # "стрижка" is related to "Men's haircut" (#cut)
        return found

    said = words(text)
    if not said:
        return []
    return [e.id for e in entries if said & set().union(*(words(name) for name in (e.name, *e.aliases)))]
