"""What customers call a salon's services, in en, ru, pt and es: the data the catalog matcher reads words through.

A salon names its services in its own way ("Hair colouring", "Corte de señora"); customers say "highlights",
"colour", "мелирование", "luzes", "tinte", or "a cut for my son". Each word here stands for one or more *concepts*
(`#colour`, `#cut` + `#kid`); a catalog alias is read through the same table, so "Kids' haircut" is (#kid, #cut)
and meets "corte pra minha filha" (#cut, #kid) — whatever the salon's own wording, in any of the four languages.

Words are folded (booking_bot/nlu/normalize.py); Russian ones are also looked up by their stem (stem.py), so one
form here covers the inflections that share it; verbs list the forms customers write.
"""

from __future__ import annotations

import re

__all__ = [
    "CONCEPTS",
    "COPULA",
    "CORRECTION",
    "FUNCTION_WORDS",
    "MOVE_FROM",
    "MOVE_TO",
    "NAME_FORMS",
    "NEGATION",
    "OR_WORDS",
    "PHRASES",
    "PHRASE_HINT",
    "concepts_of",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """The words of a blank-separated list."""
    return frozenset(text.split())


def _table(groups: dict[tuple[str, ...], str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for concepts, words in groups.items():
        for word in words.split():
            out[word] = concepts
    return out


# concept(s) -> the words that stand for them; one space-separated string per group, by language
CONCEPTS: dict[str, tuple[str, ...]] = _table(
    {
        ("#cut",): (
            "haircut haircuts cut cuts trim trims "
            "стрижка стрижки стрижку стрижкой стрижек подстричь подстричься постричь постричься стричь стричься "
            "подстричся постричся постригусь подстригусь подстригите постригите стрижете стрижёте "
            "corte cortes cortar cortarme cortarle cortarse cortarte corto cortam cortan "
        ),
        ("#male",): (
            "men man mens gents gent male guy guys gentleman gentlemen husband "
            "мужская мужской мужскую мужские мужчина мужчины мужчине муж мужа мужу папа папу "
            "masculino masculina masculinos homem homens marido rapaz "
            "hombre hombres caballero caballeros chico esposo"
        ),
        ("#female",): (
            "women woman womens ladies lady female "
            "женская женский женскую женские женщина женщины женщине "
            "feminino feminina mulher mulheres senhora senhoras "
            "mujer mujeres senora senoras dama damas femenino femenina"
        ),
        ("#kid",): (
            "kid kids child children childrens son sons daughter daughters boy boys girl girls toddler "
            "детская детский детскую детские ребенок ребенка ребенку ребенком дети детей детям сын сына сыну "
            "дочь дочка дочку дочке дочери мальчик мальчика мальчику девочка девочку девочке "
            "infantil crianca criancas filho filha filhos filhas miudo miuda miudos menino menina meninos "
            "nino nina ninos ninas nene nena hijo hija hijos hijas peque"
        ),
        ("#male", "#cut"): "fade fades degrade",
        ("#colour",): (
            "colour colours colouring coloring color colors dye dyed dyeing highlights balayage ombre tint roots "
            "colourist colorist "
            "окрашивание окраска покраска покрасить покраситься красить краска краской мелирование тонирование "
            "колорирование корни "
            "coloracao tintura tinta luzes mechas madeixas balaiagem raizes pintar "
            "coloracion tinte tenir tenirme tenirse raices"
        ),
        ("#beard",): "beard beards борода бороды бороду бородой barba barbas",
        ("#manicure",): (
            "manicure manicures mani manis nails nail shellac "
            "маникюр маникюра маникюрчик маник мани ногти ногтей ноготки ноготочки "
            "manicura manicuri unha unhas unas unitas"
        ),
        ("#pedicure",): "pedicure pedicures pedi педикюр педик pedicura pe pes pies",
        ("#brows",): ("brows brow eyebrow eyebrows брови бровей бровки бровь sobrancelha sobrancelhas cejas ceja"),
        ("#massage",): "massage massages массаж массажик massagem massagens masaje masajes masajito",
    }
)

# Several words that together stand for one concept; their words are read as that concept alone
# ("uñas de los pies" is a pedicure, not a manicure; "hacerme las manos" a manicure; "pintar o cabelo" colour).
PHRASES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), concepts)
    for pattern, concepts in (
        (r"\b(?:unas|unitas|unhas|unha)\s+(?:de\s+(?:los\s+)?|dos\s+|do\s+)?(?:pies|pes|pe)\b", ("#pedicure",)),
        (r"\b(?:toenails?|toe\s+nails?|feet)\b", ("#pedicure",)),
        (r"\b(?:ногти|ногтей)\s+на\s+ногах\b", ("#pedicure",)),
        (r"\b(?:hacer(?:me|te|se)?|fazer)\s+(?:las|as|a)\s+(?:manos|maos|mao)\b", ("#manicure",)),
        (r"\bpintar(?:me|te|se)?\s+(?:o\s+|el\s+|los\s+|as\s+)?(?:cabelo|pelo|cabello)\b", ("#colour",)),
        (r"\bpintar(?:me|te|se)?\s+(?:las\s+|as\s+)?(?:unas|unhas)\b", ("#manicure",)),
        # idioms that only look like a service: "tá de pé?" (still on?), "unas mechas" (some highlights)
        (r"\b(?:ta|esta|estao|segue|continua|fica|ainda)\s+de\s+pe\b", ()),
        (r"\bun[ao]s(?=\s+(?:mechas|luces|reflejos|masajes|cejas|trenzas)\b)", ()),
    )
)

# Any phrase above has one of these words (one search tells most messages have none)
PHRASE_HINT = re.compile(r"pies|pes\b|pe\b|toe|feet|ногах|manos|maos|mao\b|pintar|un[ao]s\s")

# Words that say nothing about which entry: dropped from aliases and messages alike, so "corte de mujer" meets
# "corte mujer" and "corte de pelo de mujer". Names and service words are never here.
FUNCTION_WORDS = word_set(
    """
    the and of a an s for with my me i to dr md m d inc llc mr mrs ms please some this that
    hair hairs
    у к с со на за для по и в во мне меня
    de del da do dos das la el los las o os as a al e y com con para pra pro pelo pela por mi meu minha
    cabelo cabello cabellos cabelos pelo un una uno um uma
    """
)

# Between two names of one side, these say the later one is what the customer wants ("not Anna, Olga"; "manicure,
# digo, pedicure"; "from Diego to Bari"); "or" says the customer has not chosen ("Anna or Olga?").
CORRECTION = re.compile(
    r"(?:^|[\s,.!?;:(])(?:no|not|nope|nao|nem|не|нет|digo|i\s+mean|wait|sorry|perdon|ops|oops|mejor|melhor|"
    r"pensando\s+bem|pensandolo\s+bien|instead|rather|actually|sino|mas\s+sim|но|а|лучше)(?=$|[\s,.!?;:)])"
)
# "from Diego to Bari", "с Ольги на Марту", "do Diego pro Bari", "de Ana a Olga": the one moved to
MOVE_FROM = re.compile(r"(?:^|[\s,.!?;:(])(?:from|с|со|do|da|de|del)\s+$")
MOVE_TO = re.compile(r"(?:^|[\s,.!?;:(])(?:to|на|pro|pra|para|a|al|por)\s+$")
# Right before a name (function words aside), these say the customer does not want it ("not Olga", "не маникюр",
# "não é manicure", "no es manicura").
NEGATION = frozenset({"no", "not", "nope", "never", "nao", "nem", "не", "нет", "ni", "nunca"})
COPULA = frozenset({"is", "was", "it", "its", "es", "era", "e", "foi", "это", "that"})
OR_WORDS = re.compile(r"(?:^|[\s,.!?;:(])(?:or|ou|или|либо|vs|versus)(?=$|[\s,.!?;:)])")


def concepts_of(word: str) -> tuple[str, ...] | None:
    """The concepts a folded word stands for, or None when it is not a service word."""
    return CONCEPTS.get(word)


# Given names as customers write them in either script and as pet names, grouped: a master the salon's system calls
# "Anna" is met by "к Ане", "у Анечки", "anya"; "Юлия" by "julia", "Юля". Folded; Russian forms are stems' sources.
_NAME_GROUPS: tuple[str, ...] = (
    "anna ana anya ania anechka annushka анна аня анечка анюта",
    "olga olya olia olenka ольга оля олечка",
    "julia julia yulia yuliya iulia julie ju юлия юля юлечка",
    "maria mariya masha marie мария маша машенька",
    "ekaterina katerina katya katia kate екатерина катерина катя катюша",
    "elena lena yelena helena елена лена леночка",
    "natalia natalya natasha наталья наталия наташа",
    "alexandra aleksandra sasha sasha александра саша",
    "alexander aleksandr alex sasha александр саша",
    "svetlana sveta светлана света",
    "tatiana tatyana tanya таня татьяна",
    "irina ira ирина ира",
    "daria darya dasha дарья дарина даша",
    "anastasia anastasiya nastya анастасия настя",
    "victoria viktoria vika виктория вика",
    "ksenia kseniya ksusha ксения ксюша",
    "sofia sofiya sonya софия софья соня",
    "dmitry dmitri dima дмитрий дима",
    "mikhail misha михаил миша",
    "sergey sergei серёжа сергей серега",
    "andrey andrei андрей",
    "ivan vanya иван ваня",
    "marta марта",
    "diego диего",
    "bari бари",
)
NAME_FORMS: dict[str, frozenset[str]] = {}
for _group in _NAME_GROUPS:
    _forms = frozenset(_group.replace("ё", "е").split())
    for _form in _forms:
        NAME_FORMS[_form] = NAME_FORMS.get(_form, frozenset()) | _forms
