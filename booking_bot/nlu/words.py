"""Words that are something else than a catalog name: calendar words of the date rules and common words.

The catalog matcher reads a month or weekday right after a number or a time preposition ("12 марта", "en julio",
"in May") as the date it is, never as a master, and never reads a calendar word or a common word of the four
languages ("marca", "digo", "muchas", "lunes") as a typo of a name ("Marta", "Diego", "mechas", "luzes").
"""

from __future__ import annotations

from booking_bot.nlu import dates_en, dates_es, dates_pt, dates_ru
from booking_bot.nlu.lang import WORDS
from booking_bot.nlu.lexicon import word_set

__all__ = ["CALENDAR_WORDS", "COMMON_WORDS", "TIME_PREPOSITIONS"]

_RU_ENDINGS = ("", "ь", "й", "я", "а", "е", "ем", "ом")  # a month's forms ("марта", "марте"; "Марту" is a name)


def _calendar() -> frozenset[str]:
    words: set[str] = set()
    for table in (dates_en.WEEKDAYS, dates_en.MONTHS, dates_es.WEEKDAYS, dates_es.MONTHS, dates_pt.WEEKDAYS,
                  dates_pt.MONTHS):  # fmt: skip
        words.update(w for w in table if " " not in w)
    for stem in (*dates_ru.MONTHS, *dates_ru.WEEKDAY_STEMS):
        words.update(stem + ending for ending in _RU_ENDINGS if len(stem + ending) >= 3)
    return frozenset(words)


CALENDAR_WORDS = _calendar()

# Right before a calendar word, these make it a date ("in May", "до марта", "para julio", "no dia"), not a name.
TIME_PREPOSITIONS = word_set(
    """
    in on of by until till since before after during from this next last early late end
    в во на до после с со по из от конца начала середины середине начале конце этом следующем каждый каждую
    en de del el para hasta desde antes despues durante este proximo cada finales principios mediados
    em no na do da ate desde antes depois durante este esse proximo cada final inicio meados dia
    """
)

# Common words of en, es and pt that are one typo away from everyday names ("marca" / Marta, "digo" / Diego)
COMMON_WORDS = word_set(
    """
    marca marcar marco marque marcou marcas diga digo dijo dice disse muchas muchos mucho gracias mesa mesma
    mismo misma mejor melhor tarde noche julho julio junio junho tambem tampoco nada nadie alguna algum
    menos mas mais antes cuando quando donde onde ahora agora luego logo otra outra otro outro hola ola
    unas unos umas uns cita citas hora horas dias semana manana amanha hoje quiero quero puedo posso
    pode puede tengo tenho tiene tem hacer fazer hace faz poder pedir mira mirar olha olhar vale bale
    color cores dale dame dar dia lunes martes mala malo bien bueno buena boa bom
    some same sure more most much many maybe marry mary merry then than this that there their message messages
    messaged messaging
    """
) | frozenset().union(*WORDS.values())
