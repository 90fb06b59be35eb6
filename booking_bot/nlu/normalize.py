"""Text normalisation shared by every stage: case/accent folding and tokenisation.

`fold` lower-cases, strips Latin accents (é -> e, ñ -> n) and maps ё -> е, but keeps Cyrillic letters
such as й intact. Apostrophes and quotes are unified so that "it’s" and "it's" read the same.
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


def fold(text: str) -> str:
    """Lower-case, accent-free text (Latin accents only; Cyrillic letters kept, ё -> е)."""
    return text.lower().translate(_TABLE)


def tokens(folded: str) -> list[str]:
    """Word tokens of already folded text (letters and digits; punctuation dropped)."""
    return _TOKEN_RE.findall(folded)
