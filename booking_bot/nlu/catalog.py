"""Fuzzy matching of staff and services against the salon's catalog, through token indexes.

Every name and alias is split into tokens; each token gets a key (its Russian stem, or itself). An alias
matches when all its significant tokens occur consecutively in the message, each exactly (by key) or with one
typo (one insertion, deletion or substitution; words of five letters or more). Lookups go through a first-token
index and a deletion index (SymSpell style), so the cost per message does not grow with the catalog size.

The index of a catalog is built once and cached by the catalog object's identity.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from booking_bot.domain import Catalog, CatalogEntry
from booking_bot.nlu.normalize import fold, tokens
from booking_bot.nlu.stem import stem

__all__ = ["CatalogIndex", "Match", "index_for", "related_entries"]

_STOP = frozenset({"the", "and", "of", "a", "s", "dr", "md", "m", "d", "inc", "llc", "mr", "mrs", "ms", "у", "к", "с"})
_TYPO_MIN = 5


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def key_of(token: str) -> str:
    return stem(token)


def translit(token: str) -> str:
    """Latin spelling of a Cyrillic token ("бари" -> "bari"), so Latin catalog names match Russian text."""
    return token.translate(_TRANSLIT)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: str
    name: str
    tokens: int  # how many message tokens the alias covered
    exact: bool


@dataclass(frozen=True, slots=True)
class _Alias:
    keys: tuple[str, ...]
    entry: CatalogEntry


class _Side:
    """The index of one catalog side (services or staff)."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.by_first: dict[str, list[_Alias]] = {}
        self.typos: dict[str, set[str]] = {}  # deletion -> keys
        self.keys: set[str] = set()
        for entry in entries:
            for text in (entry.name, *entry.aliases):
                keys = tuple(key_of(t) for t in tokens(fold(text)) if t not in _STOP)
                if not keys:
                    continue
                self.by_first.setdefault(keys[0], []).append(_Alias(keys, entry))
                for key in keys:
                    if key in self.keys:
                        continue
                    self.keys.add(key)
                    if len(key) >= _TYPO_MIN:
                        for deletion in _deletes(key):
                            self.typos.setdefault(deletion, set()).add(key)

    def _candidates(self, key: str, raw: str) -> dict[str, bool]:
        """Catalog keys this message token can stand for: {key: exact}."""
        found: dict[str, bool] = {}
        if key in self.keys:
            found[key] = True
        elif "а" <= key[0] <= "я":  # a Cyrillic word also stands for its transliteration ("с Бари" -> "bari")
            for latin in (translit(raw), translit(key)):
                if latin in self.keys:
                    found[latin] = True
        if len(key) >= _TYPO_MIN - 1:
            for known in self.typos.get(key, ()):  # the message misses a letter
                found.setdefault(known, False)
            for deletion in _deletes(key):
                if deletion in self.keys and len(key) >= _TYPO_MIN + 1:  # the message has an extra letter
                    found.setdefault(deletion, False)
                for known in self.typos.get(deletion, ()):  # one substitution
                    if len(known) >= _TYPO_MIN:
                        found.setdefault(known, False)
        return found

    def best(self, keys: list[str], raws: list[str]) -> Match | None:
        cands = [self._candidates(k, r) for k, r in zip(keys, raws, strict=True)]
        best: tuple[int, int, int, _Alias] | None = None
        for i, first in enumerate(cands):
            for known, exact in first.items():
                for alias in self.by_first.get(known, ()):
                    span = len(alias.keys)
                    if i + span > len(keys):
                        continue
                    ok = True
                    exact_all = exact
                    for j in range(1, span):
                        hit = cands[i + j].get(alias.keys[j])
                        if hit is None:
                            ok = False
                            break
                        exact_all = exact_all and hit
                    if not ok:
                        continue
                    if not exact_all and span == 1 and len(known) < _TYPO_MIN:
                        continue
                    score = (span, int(exact_all), sum(len(k) for k in alias.keys), alias)
                    if best is None or score[:3] > best[:3]:
                        best = score
        if best is None:
            return None
        alias = best[3]
        return Match(alias.entry.id, alias.entry.name, best[0], bool(best[1]))


class CatalogIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.services = _Side(catalog.services)
        self.staff = _Side(catalog.staff)

    def match(self, folded: str) -> tuple[Match | None, Match | None]:
        """(service, staff) named in a folded message."""
        # Stop words are dropped from the message as from the aliases, so "men's haircut" (men, s, haircut)
        # lines up with the alias keys (men, haircut).
        raws = [t for t in tokens(folded) if t not in _STOP]
        keys = [key_of(t) for t in raws]
        return self.services.best(keys, raws), self.staff.best(keys, raws)


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
        return {key_of(t) for t in tokens(fold(value)) if len(t) >= 3 and t not in _STOP and t not in _FUNCTION_WORDS}

    said = words(text)
    if not said:
        return []
    return [e.id for e in entries if said & set().union(*(words(name) for name in (e.name, *e.aliases)))]
