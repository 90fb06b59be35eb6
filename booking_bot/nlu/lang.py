"""Per-message language detection, with the conversation's language as a prior.

Cyrillic script means Russian. Latin text is scored by per-language word tables (WhatsApp spelling included:
"blz", "vlw", "hj", "porfa", "xfa", "pls"), by letters only one language writes (ã õ ç → pt, ñ ¿ ¡ → es) and
spellings only one language has (pt "nh", "lh", "-ção"; es "ll", "-ción"). Words shared by es and pt weigh half.

The conversation's language so far (`prior`) carries a reply that says little ("ok", "👍", "10:30", "sí" in a
Portuguese conversation, "yes" in a Spanish one): another language takes over only when the message is clearly
in it (`_SWITCH` more than the prior's score). Without a prior, a message with no cue at all is English.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["SUPPORTED", "WORDS", "detect_language"]

SUPPORTED = ("en", "ru", "es", "pt")

_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
_WORD_RE = re.compile(r"[a-z]+")
_HELD = re.compile(r"([a-z])\1\1+")
_REPEAT = re.compile(r"([a-z])\1+")


def _split(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words (nearly) unique to one language among en/es/pt, folded (accent-free). Weight 1.
_DISTINCT: dict[str, frozenset[str]] = {
    "en": _split(
        """
        the an i you my is are was were can could would will should please want need book booking booked appointment
        appt appts tomorrow tmrw tmr tmrw today tonight yes yeah yep yup thanks thank thx ty what when where which who
        why how at on in for with and of to it its that this those these next morning evening afternoon night there
        have has had do does did time day week available sounds good great okay fine sure hi hello hey hiya bye
        haircut from be go get got make find pls plz u ur not sorry any move one come free after if we instead just
        lol see anything same take open long before speak about cant dont wont someone anyone change price maybe
        wait other whats last but later done work back talk first weekend slot slots charge half cost then actually
        your sometime he she able all again thats late person earlier anymore right space cheers id better both days
        school push up month something wrong anytime guys hour gonna wanna gotta else nah by date well another
        earliest too lunch little mean meant new oh different works still think really love bring coming times thing
        forget already availability hope past quarter early around said check between left than down husband use
        asap call rather many number lets staff moved nice till option cut cuts trim colour beard brows nails
        massage highlights fade kids mens ladies women men pedicures manicures cancel cancellation reschedule
        monday tuesday wednesday thursday friday saturday sunday mon tues wed thurs thu fri sat sun january february
        march april june july august september october november december jan feb mar apr jun jul aug sept oct nov dec
        pm am haha lmao omg idk btw tbh np nope mate cool awesome shall let us our they them their here how much
        many much also only any every thx xx whoever human someone receptionist manager real
        """
    ),
    "es": _split(
        """
        el del los las una un y es esta este estoy estas hoy manana ayer tarde noche lunes martes miercoles jueves
        viernes sabado domingo proxima proximo semana cita citas quiero puedes necesito gracias hola si favor quisiera
        gustaria puedo puede tiene tienen tengo hay ahora fin viene pelo cabello mediodia medianoche nada bueno buenos
        buenas adios perfecto cuanto cuesta precio otra otro hasta despues mejor usted ustedes nosotros vosotros dentro
        reservar turno anular dale vale muy bien pero ya yo sino menos cuarto media cambiar enero febrero marzo mayo
        junio julio septiembre octubre noviembre diciembre masaje masajes cejas al lo pedicura manicura tinte porfa voy
        hacerme alguien oye teneis tenes tienes hablar hueco tardes sale nino nina ninos ninas quien hijo hija mismo
        libre libres pa abren sea pues entonces che buen pasas jaja jajaja jajajaja citas podria mnn holaa holaaa holi
        xfa primera eso depilacion soy muchas muchos mucho misma mira mover podemos llego pasame hombre noches pal
        apuntame
        reservame mis escribo perdona cortarme apuntas coloracion wey guey senora chica chico vie cualquier pestanas ey
        madre podrias trabajo disponibilidad posible siento cancelo perdon ninguna ninguno acuerdo dime algun alguna
        estais estan esa sirve arreglarme sacar haces creo pies pueden cortarle ay guapa cambias surgio pasarla
        disponible anula podre ni saludo saludos reservado verdad le precios abris haceis peluquero peluqueria trabaja
        asi venga opcion dejalo recepcion nuevo nueva relajante kiero nombre guardas temprano nochevieja su cumple
        agendas onda apuntar les raices depilarme tenirme bigote tengas poco adelantar mio salido cambio mueve
        llegar pregunta cambiarla cambiame cancelalo cancelame puse baja falta broma viaje dices pie confirmas quedo
        cobras largo tarifa hilo salen incluye tarjeta tarda hacen atienden sin productos quedan barbero tambien
        sitio queda todavia eh llamar llame esto pueda espalda ok\u00e9 okey vaya hecho exacto listo chao chau bss
        grax graciass nos vemos cuando cual donde como dia dias mes quiere necesita nunca siempre algo luego
        hermano amiga amigo senor mama papa ahorita orale neta chido vos sos tenes queres podes decime avisame
        con la finde sip nop nones tampoco trabajando uno cuatro siete ocho nueve diez once doce quince veinte
        treinta opciones otras otros primero solo todavia aun cosa alli ella ellos ellas
        aquello ese nuestra nuestro sus tener venir decir quedar dejar creer gustar necesitar empezar ayudar fue hice
        dijo tio tia guay chevere bacan disculpa disculpe permiso peinado
        correcto nel okis oki holis holiwis wenas simon sipi porfis porfi andale joya buenisimo mechas sena cuanto
        cuanta cuantos podria quisieramos esperame oigan
        """
    ),
    "pt": _split(
        """
        o os do uma um uns umas e em amanha hoje ontem nao sim obrigado obrigada obrigadinha brigado
        brigada ola oi oie oii voce voces vc vcs quero queria preciso marcar agendar agendamento
        unhas unha terca quarta quinta sexta noite manha pra pro ate ao aos tudo bem bom boa muito muita
        meio meia feira depois agora gostaria posso pode podem tem tenho cabelo fim daqui tchau xau valeu vlw
        beleza blz certo perfeito quanto custa preco precos outro outra na nas nesta neste dois quatro sete oito
        nove dez onze doze quinze vinte trinta desmarcar desmarca
        remarcar remarca mas vem obg isso ta to ontem pelo pela com pe pes ss nn qui as pras opa seg exatamente
        janeiro fevereiro marco maio junho julho setembro
        outubro novembro dezembro massagem massagens meu minha meus minhas vou fazer mais qual quais eu mim hj
        marcacao marcacoes marca mesmo mesma vaga vagas falar pfv pfvr ou mudar ainda alguem kkk kkkk kkkkk kk tempo
        faz consigo essa esse isso quem possivel entao fica qualquer marcado marcada homem filho filha ela ele cedo
        cedinho desculpa desculpe melhor abrem marquei novo tiver almoco salao ter alguma algum livre livres otimo
        fazem perto vai ficou sou trabalho duas profissional opcao pf esquece lembro nenhum nenhuma mae deixar deixa
        estou chegar msm acho qto qnto fala pessoa disponibilidade vejo dizer muda senhora mto crianca disso irmao
        sao ops surgiu jeito atendente abertos folga esqueci coisa ligar liga der estao pera infelizmente fds
        recepcao errado fui pouco fico ficar escova voltar querendo atendendo certinho ne direto oie fecham desconto
        aceitam pix primeira primeiro saiba beijinhos beijos bjs vdd atendem pessoal tao tirar nome enganei boas
        feita alterar pagamento dele dps barbeiro perai responsavel sombrancelha sobrancelha sobrancelhas degrade
        quer combinado faltar quando casamento sem tinha trampo encaixar saindo td tb tbm tambem bora fechado
        fechou tmj flw gratidao demorou legal show amg amiga moca menina onde voltar obrigadaa obrigadaaa
        fazer cortar coloracao luzes madeixas masculino feminino infantil amnh qnd qdo vcs ce oque tava
        tou estava podia conseguir conseguiria queria gostava atencao agradeco aguardo combinado nossa nosso seu sua
        dela deles delas aquilo aquele aquela vir achar conhecer gostar precisar comecar trabalhar ajudar foi pois
        sei fiz disse moco bacana massa demais certeza verdade licenca hidratacao porem num numa nuns eles elas
        uhum aham eae salve nops sussa suave firmeza partiu fmz pdc dboa deboa agendei
        """
    ),
}
# Shared by es and pt: weight 1/2 each.
_SHARED_ES_PT = _split(
    """
    de para que por esta este tarde dia dias semana proxima proximo claro horas hora sabado domingo
    corte favor ser ai tempo como ver consigo valor aqui gente demora cortar podia passa precisa querer levar
    nova agenda sempre junto atende pensar logo mano casa lamento seguinte manda viajar toda dona tanto vi
    pedir pasado tal tardes pasar espera tenia nos vemos todo lugar genial persona sobre igual sigue ahi
    pronto podes dos momento local mil todas telefono cerca prefiro prefiero trocar preferencia me te se mi
    cancelar reservar fui mas da das ano tu durante minuto segunda tipo barba confirmo cancela horario horarios
    negativo obvio agente operador
    """
)
# Words that alone say which language: weight 2.
_STRONG: dict[str, frozenset[str]] = {
    "en": _split("please pls plz appointment tomorrow tmrw what the would could"),
    "es": _split(
        "gracias hola quiero necesito porfa xfa vale tienes teneis tenes puedo puedes usted muy hoy jaja cita"
    ),
    "pt": _split(
        "sim nao obrigado obrigada voce vc vcs blz vlw obg hj kkk kkkk tchau valeu beleza oi amanha quero queria pra "
        "tb tbm tambem gostaria fechado bora fechou obg"
    ),
}
WORDS: dict[str, frozenset[str]] = {lang: words | _STRONG[lang] for lang, words in _DISTINCT.items()}
_WEIGHTS: dict[str, dict[str, float]] = {}
for _lang, _words in _DISTINCT.items():
    for _w in _words:
        _WEIGHTS.setdefault(_w, {})[_lang] = 1.0
for _w in _SHARED_ES_PT:
    _WEIGHTS[_w] = {"es": 0.5, "pt": 0.5}
for _lang, _words in _STRONG.items():
    for _w in _words:
        _WEIGHTS.setdefault(_w, {})[_lang] = 2.0

# Letters and spellings of one language, on the raw text (before accents are folded) and on unknown words
_RAW_CUES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"[ãõç]"), "pt", 2.0),
    (re.compile(r"[êô]"), "pt", 1.0),
    (re.compile(r"[ñ¿¡]"), "es", 2.0),
    (re.compile(r"\b(?:día|más|sí|qué|cuándo|cómo|está\s+bien)\b"), "es", 0.5),  # pt writes dia, mais, sim, quê
    (re.compile(r"(?:^|\s)é(?:\s|$)|\bvocê|\bnão\b|\bà\b|\bàs\b"), "pt", 0.5),
)
# How each language laughs and writes hours, on the folded text
_TEXT_CUES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"\b(?:k{3,}|(?:rs){2,}|kkj\w*)\b"), "pt", 2.0),
    (re.compile(r"\b(?:(?:ja){2,}j?|(?:je){2,}|(?:js){2,}j?)\b"), "es", 2.0),
    (re.compile(r"\b(?:(?:ha){2,}h?|lol|lmao)\b"), "en", 1.0),
    (re.compile(r"\d\s?h(?:\d\d)?\b"), "pt", 0.5),  # "17h", "às 4h", "15h30" (es writes it too, less often)
)
_TEXT_HINT = re.compile(r"kk|rs|ja|je|js|ha|lol|lmao|\dh|\d\sh")
_SPELLING: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"nh|lh|cao$|coes$|inho$|inha$|zinh"), "pt", 1.0),
    (re.compile(r"ll|cion$|ciones$|ito$|ita$|[ae]is$"), "es", 1.0),
    (re.compile(r"th|wh|sh|ght|ing$|ck"), "en", 1.0),
)
_SWITCH = 2.0  # how much more another language must score than the prior to take over
_FALLBACK = "en"


@lru_cache(maxsize=65536)
def _word_scores(word: str) -> tuple[tuple[str, float], ...]:
    """What one folded word says about the language: (language, weight) pairs."""
    weights = _WEIGHTS.get(word)
    if weights is None and _REPEAT.search(word):  # "siiim", "helloooo", "noo", "graciass"
        held = _HELD.sub(r"\1", word)
        weights = _WEIGHTS.get(held) or _WEIGHTS.get(_REPEAT.sub(r"\1", held))
    if weights is not None:
        return tuple(weights.items())
    if len(word) < 4:
        return ()
    return tuple((lang, weight * 0.5) for pattern, lang, weight in _SPELLING if pattern.search(word))


def _scores(folded: str, text: str | None) -> dict[str, float]:
    scores = {"en": 0.0, "es": 0.0, "pt": 0.0}
    for word in _WORD_RE.findall(folded):
        for lang, weight in _word_scores(word):
            scores[lang] += weight
    if _TEXT_HINT.search(folded):
        for pattern, lang, weight in _TEXT_CUES:
            if pattern.search(folded):
                scores[lang] += weight
    if text is not None and not text.isascii():
        raw = text.lower()
        for pattern, lang, weight in _RAW_CUES:
            if pattern.search(raw):
                scores[lang] += weight
    return scores


def detect_language(folded: str, prior: str | None = None, text: str | None = None) -> str | None:
    """The language of one folded message (`text`, the message as written, adds its accents as cues), or the
    conversation's language when the message says nothing clear about it."""
    cyr = len(_CYRILLIC.findall(folded))
    lat = len(_LATIN.findall(folded))
    if cyr and cyr >= lat:
        return "ru"
    if not lat:
        return prior
    scores = _scores(folded, text)
    best = max(scores, key=lambda k: scores[k])
    top = scores[best]
    if top == 0.0:
        return prior if prior is not None else _FALLBACK
    if prior is not None:
        if prior == best:
            return prior
        held = scores.get(prior, 0.0)
        return best if top - held >= _SWITCH else prior
    tied = [lang for lang, score in scores.items() if score == top]
    if len(tied) > 1:
        return "en" if "en" in tied else "pt"
    return best
