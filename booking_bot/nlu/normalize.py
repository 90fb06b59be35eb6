"""Text normalisation shared by every stage: case/accent folding and tokenisation.

`fold` lower-cases, strips Latin accents (é -> e, ñ -> n) and maps ё -> е, but keeps Cyrillic letters
such as й intact. Apostrophes and quotes are unified so that "it’s" and "it's" read the same, and a word typed
with look-alike letters of the other script ("annа") is written in one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokens"]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char:
            table[code] = base.lower()
    table[ord("ß")] = "ss"
    table[ord("ё")] = "е"
    table[ord("Ё")] = "е"
    for quote in "’‘`´ʼ":
        table[ord(quote)] = "'"
    for dquote in "“”«»„":
        table[ord(dquote)] = '"'
    for dash in "‐‑‒–—―":
        table[ord(dash)] = "-"
    table[0xA0] = " "
    return table


_TABLE = _build_table()
_TOKEN_RE = re.compile(r"[a-zа-я0-9]+")
# Letters that look the same in both scripts: a word typed on a mixed keyboard ("annа" with a Cyrillic а) is
# written in the script most of its letters are in.
_TO_LATIN = str.maketrans("аеорсухкмт", "aeopcyxkmt")
_TO_CYRILLIC = str.maketrans("aeopcyxkmt", "аеорсухкмт")
_MIXED = re.compile(r"[a-z][а-я]|[а-я][a-z]")
_MIXED_WORD = re.compile(r"[a-zа-я]*(?:[a-z][а-я]|[а-я][a-z])[a-zа-я]*")
_LATIN_LETTER = re.compile(r"[a-z]")


def _one_script(m: re.Match[str]) -> str:
    word = m.group()
    latin = len(_LATIN_LETTER.findall(word))
    return word.translate(_TO_LATIN if latin * 2 >= len(word) else _TO_CYRILLIC)


def fold(text: str) -> str:
    """Lower-case, accent-free text (Latin accents only; Cyrillic letters kept, ё -> е); a word mixing Latin and
    Cyrillic look-alike letters is written in one script."""
    folded = text.lower().translate(_TABLE)
    return _MIXED_WORD.sub(_one_script, folded) if _MIXED.search(folded) else folded


def tokens(folded: str) -> list[str]:
    """Word tokens of already folded text (letters and digits; punctuation dropped)."""
    return _TOKEN_RE.findall(folded)
