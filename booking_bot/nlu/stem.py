"""A light Russian stemmer: strip one common inflectional ending, keep a stem of at least two letters.

It is enough to make "к Ане", "Аню", "Аня" and "у Ольги", "Ольга" meet on one key, and "на мужскую стрижку"
meet "мужская стрижка"; it is not a morphological analyser.
"""

from __future__ import annotations

__all__ = ["stem"]

_ENDINGS = tuple(
    sorted(
        [
            "ями",
            "ами",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ой",
            "ей",
            "ую",
            "юю",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ых",
            "их",
            "ым",
            "им",
            "ом",
            "ем",
            "ам",
            "ям",
            "ах",
            "ях",
            "ов",
            "ев",
            "ы",
            "и",
            "а",
            "я",
            "у",
            "ю",
            "е",
            "о",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)


def stem(word: str) -> str:
    """The stem of a folded Cyrillic word (other words are returned unchanged)."""
    if not word or not ("а" <= word[-1] <= "я"):
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word
