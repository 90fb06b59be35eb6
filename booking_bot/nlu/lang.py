"""Per-message language detection, with the conversation's language as a prior.

Cyrillic script means Russian. Latin text is scored by small per-language word tables; a message without any
distinctive word ("ok", "10:30", "👍") keeps the prior, and falls back to English.
"""

from __future__ import annotations

import re

__all__ = ["SUPPORTED", "detect_language"]

SUPPORTED = ("en", "ru", "es", "pt")

_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")

# Words that are (nearly) unique to one language among en/es/pt. Folded (accent-free) forms.
_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "an",
            "i",
            "you",
            "my",
            "is",
            "are",
            "was",
            "can",
            "could",
            "would",
            "will",
            "please",
            "want",
            "need",
            "book",
            "appointment",
            "tomorrow",
            "today",
            "yes",
            "thanks",
            "thank",
            "what",
            "when",
            "where",
            "which",
            "how",
            "at",
            "on",
            "in",
            "for",
            "with",
            "and",
            "of",
            "to",
            "it",
            "that",
            "this",
            "next",
            "morning",
            "evening",
            "afternoon",
            "pm",
            "am",
            "there",
            "have",
            "do",
            "does",
            "time",
            "day",
            "week",
            "available",
            "sounds",
            "good",
            "great",
            "okay",
            "fine",
            "sure",
            "hi",
            "hello",
            "bye",
            "haircut",
            "with",
            "from",
            "be",
            "go",
            "get",
            "make",
            "find",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "para",
            "por",
            "que",
            "una",
            "un",
            "y",
            "en",
            "es",
            "esta",
            "este",
            "mañana",
            "manana",
            "hoy",
            "alarma",
            "recordatorio",
            "tiempo",
            "hora",
            "horas",
            "tarde",
            "noche",
            "lunes",
            "martes",
            "miercoles",
            "jueves",
            "viernes",
            "sabado",
            "domingo",
            "semana",
            "proxima",
            "cita",
            "quiero",
            "puedes",
            "necesito",
            "gracias",
            "hola",
            "si",
            "favor",
            "pon",
            "poner",
            "establecer",
            "cancelar",
            "borrar",
            "recuerdame",
            "recordarme",
            "clima",
            "lluvia",
            "hace",
            "hara",
            "va",
            "llover",
            "con",
            "mi",
            "me",
            "cuando",
            "cual",
            "donde",
            "como",
            "dia",
            "dias",
            "mes",
            "despierta",
            "despiertame",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "as",
            "do",
            "da",
            "dos",
            "das",
            "para",
            "que",
            "uma",
            "um",
            "e",
            "em",
            "esta",
            "este",
            "amanha",
            "hoje",
            "nao",
            "sim",
            "obrigado",
            "obrigada",
            "ola",
            "voce",
            "quero",
            "preciso",
            "horario",
            "marcar",
            "agendar",
            "corte",
            "unhas",
            "semana",
            "proxima",
            "segunda",
            "terca",
            "quarta",
            "quinta",
            "sexta",
            "sabado",
            "domingo",
            "tarde",
            "noite",
            "manha",
            "dia",
        ]
    ),
}
# Words shared by es and pt ("para", "que", "tarde") carry less weight than distinctive ones.
_SHARED = _WORDS["es"] & _WORDS["pt"]
_WORD_RE = re.compile(r"[a-z]+")


def detect_language(folded: str, prior: str | None = None) -> str | None:
    """The language of one folded message, or the prior when the message says nothing about it."""
    cyr = len(_CYRILLIC.findall(folded))
    lat = len(_LATIN.findall(folded))
    if cyr and cyr >= lat:
        return "ru"
    if not lat:
        return prior
    scores = dict.fromkeys(_WORDS, 0.0)
    for word in _WORD_RE.findall(folded):
        for lang, table in _WORDS.items():
            if word in table:
                scores[lang] += 0.5 if word in _SHARED else 1.0
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0.0:
        return prior if prior is not None else "en"
    if prior in scores and scores[prior] == scores[best]:
        return prior
    return best
