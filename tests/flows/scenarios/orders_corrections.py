"""Booking with the details in any order, and corrections that change just one part of it (issue 18).

The orders: the master first, the day first, the service last, service and master then day and time together, a
part of the day ("in the evening", "after 5", "in the afternoon") given at once or after the offer, any master or a
named one who is busy then. The corrections, at the confirmation and while choosing a time: another service ("not a
manicure, a colouring"), another day ("no wait, Thursday"), another time ("make it 5pm"), "a bit later", "an hour
later" (free or taken), "a bit earlier", "half an hour earlier", "same time on Tuesday", "the other master",
"no, <change>" (a correction, not a refusal), a plain "no" (the booking dropped), and corrections one after another.
And a "yes" to a question that offers a choice (which haircut, which time): the same question again, nothing lost.

Days are offsets from Friday 27 November 2026 (1 = Saturday the 28th, 2 = Sunday, 3 = Monday, 4 = Tuesday,
5 = Wednesday, 6 = Thursday).
"""

from __future__ import annotations

from booking_bot.domain import Stage
from tests.flows.scenarios.framework import ANY, Appointment, Check, Scenario, Step, say

BOOK_Q = "Shall I book this?\n{details}"
BOOKED = "Done! You are booked: {booking}."
WHICH_TIME = "Which time suits you?"
WHICH_ONE = "Which one would you like: {services}?"
WHICH_SERVICE = "Which service would you like? We offer: {services}."
NOT_FREE = "{time} {on_day} is not free."
DROPPED = "All right. Is there anything else I can help with?"


def confirm(service: str, day: int, at: str, staff: str | None = None, *, correction: bool = False) -> Check:
    """ "Shall I book this?" with exactly these details; after a correction, never the refusal's answer."""
    return Check(
        stage=Stage.CONFIRM_BOOK,
        says=(BOOK_Q,),
        not_says=(DROPPED,) if correction else (),
        service=service,
        staff=staff,
        day=day,
        at=at,
    )


def offers(service: str, day: int, staff: str | None = None, *, after: str | None = None) -> Check:
    """Free times of that day offered for the service (all of them after `after`), and "Which time suits you?"."""
    return Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service=service, staff=staff, day=day, offers_after=after)


def yes_books(*appointments: Appointment) -> Step:
    """The customer's plain yes to "Shall I book this?": booked, and these are all of their appointments now."""
    return Step(
        say(
            en=["yes", "yes please", "ok 👍", "perfect, book it"],
            ru=["да", "да, записывайте", "ок", "давайте"],
            pt=["sim", "pode marcar", "fechado 👍", "sim, perfeito"],
            es=["sí", "vale", "perfecto 👍", "sí, resérvalo"],
        ),
        Check(stage=Stage.IDLE, says=(BOOKED,), booked=appointments),
    )


# What several scenarios say the same way.
MANICURE_TOMORROW_3PM = say(
    en=[
        "manicure tomorrow at 3pm",
        "nails tmrw 15:00",
        "can I get a manicure tomorrow at 3?",
        "manicure tomorrow 3 pm pls",
    ],
    ru=[
        "маникюр завтра в 15:00",
        "на маникюр завтра в 3 дня",
        "можно завтра в 15 на маникюр?",
        "маникюр на завтра, 15.00",
    ],
    pt=[
        "manicure amanhã às 15h",
        "unhas amanha 15:00",
        "dá pra fazer manicure amanhã às 3 da tarde?",
        "manicure amanhã 15h pfv",
    ],
    es=[
        "manicura mañana a las 15:00",
        "uñas mañana 15h",
        "¿me haces la manicura mañana a las 3 de la tarde?",
        "manicura mañana a las 15 porfa",
    ],
)
MANICURE_WITH_ANNA_TOMORROW_3PM = say(
    en=[
        "manicure with Anna tomorrow at 3pm",
        "can anna do my nails tmrw at 15:00?",
        "I'd like a manicure tomorrow 3 pm with Anna",
        "manicure w/ anna tomorrow 3pm pls",
    ],
    ru=[
        "маникюр к Анне завтра в 15:00",
        "можно к Ане на маникюр завтра в 3 дня?",
        "хочу на маникюр завтра в 15 к Анне",
        "к Анне завтра в 15.00 на маникюр",
    ],
    pt=[
        "manicure com a Anna amanhã às 15h",
        "a anna faz minhas unhas amanhã 15:00?",
        "queria manicure amanhã às 3 da tarde com a Anna",
        "manicure c/ anna amanha 15h pfv",
    ],
    es=[
        "manicura con Anna mañana a las 15:00",
        "¿anna me hace las uñas mañana a las 15h?",
        "quiero una manicura mañana a las 3 de la tarde con Anna",
        "manicura con anna mañana 15:00 porfa",
    ],
)
MANICURE_WITH_OLGA_TOMORROW_4PM = say(
    en=[
        "manicure with Olga tomorrow at 4pm",
        "nails w/ olga tmrw 16:00",
        "can I book a manicure with Olga tomorrow at 4",
        "manicure tomorrow 4 pm, Olga pls",
    ],
    ru=[
        "маникюр к Ольге завтра в 16:00",
        "на маникюр к Оле завтра в 4 дня",
        "запишите на маникюр завтра в 16 к Ольге",
        "к Ольге завтра в 16.00 на маникюр",
    ],
    pt=[
        "manicure com a Olga amanhã às 16h",
        "unhas c/ olga amanha 16:00",
        "queria manicure amanhã às 4 da tarde com a Olga",
        "manicure amanhã 16h, com a Olga pfv",
    ],
    es=[
        "manicura con Olga mañana a las 16:00",
        "uñas con olga mañana 16h",
        "quiero manicura mañana a las 4 de la tarde con Olga",
        "manicura mañana a las 16, con Olga porfa",
    ],
)
AN_HOUR_LATER = say(
    en=["an hour later?", "one hour later pls", "can it be an hour later", "1 hour later"],
    ru=["на час позже?", "а на час попозже можно?", "давайте на час позже", "на 1 час позже"],
    pt=["uma hora mais tarde?", "pode ser uma hora mais tarde?", "1 hora mais tarde pfv", "uma hora depois?"],
    es=["¿una hora más tarde?", "una hora más tarde porfa", "¿puede ser una hora más tarde?", "1 hora más tarde"],
)
AT_2PM = say(
    en=["2pm", "14:00", "2 pm pls", "at 2"],
    ru=["в 14:00", "14.00", "в 2 часа дня", "давайте в 14"],
    pt=["às 14h", "14:00", "2 da tarde", "pode ser 14h"],
    es=["a las 14:00", "14h", "a las 2 de la tarde", "a las dos"],
)
AT_7PM = say(
    en=["7pm", "19:00", "the 7pm one", "7 pm please"],
    ru=["в 19:00", "19.00", "давайте в 7 вечера", "в семь вечера"],
    pt=["às 19h", "19:00", "7 da noite", "pode ser 19h"],
    es=["a las 19:00", "19h", "a las 7 de la tarde", "las 7 porfa"],
)

ORDERS = [
    Scenario(
        name="master_first_then_service_then_day_and_time_books_with_that_master",
        steps=(
            Step(
                say(
                    en=[
                        "I'd like to book with Olga",
                        "can i get an appointment with olga?",
                        "hi! I want to see Olga",
                        "book me in with Olga pls 🙏",
                    ],
                    ru=[
                        "Хочу записаться к Ольге",
                        "можно к Оле записаться?",
                        "запишите меня к Ольге пожалуйста",
                        "Здравствуйте, хочу к Ольге",
                    ],
                    pt=[
                        "Quero marcar com a Olga",
                        "dá pra marcar com a olga?",
                        "oi, queria um horário com a Olga",
                        "marca com a Olga pra mim pfv",
                    ],
                    es=[
                        "Quiero una cita con Olga",
                        "me das hora con olga?",
                        "hola, quisiera reservar con Olga",
                        "cita con Olga porfa 🙏",
                    ],
                ),
                Check(stage=Stage.ASK_SERVICE, staff="Olga"),
            ),
            Step(
                say(
                    en=["manicure please", "nails", "a manicure", "manicure 💅"],
                    ru=["на маникюр", "маникюр", "маникюр пжлст", "маникюр хочу"],
                    pt=["manicure", "unhas", "fazer as unhas", "manicure por favor"],
                    es=["manicura", "uñas", "hacerme las uñas", "una manicura por favor"],
                ),
                Check(stage=Stage.ASK_DATE, service="Manicure", staff="Olga"),
            ),
            Step(
                say(
                    en=["Sunday at 2pm", "sunday 14:00", "this sunday, 2 in the afternoon", "on sunday at 2 pm pls"],
                    ru=[
                        "в воскресенье в 14:00",
                        "воскресенье 14.00",
                        "в воскресенье в 2 часа дня",
                        "давайте в воскресенье к 14",
                    ],
                    pt=["domingo às 14h", "domingo 14:00", "no domingo às 2 da tarde", "pode ser domingo 14h"],
                    es=[
                        "el domingo a las 14:00",
                        "domingo 14h",
                        "el domingo a las 2 de la tarde",
                        "domingo a las dos de la tarde porfa",
                    ],
                ),
                confirm("Manicure", 2, "14:00", "Olga"),
            ),
            yes_books(Appointment("Manicure", "Olga", 2, "14:00")),
        ),
    ),
    Scenario(
        name="day_first_then_service_then_a_time_keeps_the_day",
        steps=(
            Step(
                say(
                    en=[
                        "Can I come in on Monday?",
                        "do you have anything monday",
                        "I'd like to book for Monday",
                        "monday pls, need an appointment",
                    ],
                    ru=[
                        "Можно записаться на понедельник?",
                        "на понедельник есть что-нибудь?",
                        "хочу записаться в понедельник",
                        "в пн можно прийти?",
                    ],
                    pt=[
                        "Posso marcar pra segunda-feira?",
                        "tem horário na segunda?",
                        "queria agendar pra segunda",
                        "segunda-feira dá?",
                    ],
                    es=[
                        "¿Puedo pedir cita para el lunes?",
                        "tienes algo el lunes",
                        "quiero reservar para el lunes",
                        "el lunes se puede?",
                    ],
                ),
                Check(stage=Stage.ASK_SERVICE, day=3),
            ),
            Step(
                say(
                    en=["women's haircut", "womens haircut pls", "a women's cut", "Women’s haircut"],
                    ru=["женская стрижка", "на женскую стрижку", "стрижка женская", "женскую стрижку пожалуйста"],
                    pt=["corte feminino", "corte feminino pfv", "um corte feminino", "quero corte feminino"],
                    es=["corte de señora", "corte de mujer", "un corte de mujer porfa", "corte de señora por favor"],
                ),
                offers("Women's haircut", 3),
            ),
            Step(
                say(
                    en=["11am", "at 11", "11:00 please", "11 works"],
                    ru=["в 11", "11:00", "давайте в 11 утра", "в одиннадцать"],
                    pt=["às 11h", "11:00", "11 da manhã", "pode ser às 11"],
                    es=["a las 11", "11:00", "a las once de la mañana", "11h"],
                ),
                confirm("Women's haircut", 3, "11:00"),
            ),
            yes_books(Appointment("Women's haircut", ANY, 3, "11:00")),
        ),
    ),
    Scenario(
        name="service_last_after_day_time_and_master_keeps_them_all",
        steps=(
            Step(
                say(
                    en=[
                        "Tomorrow at 11 with Anna please",
                        "can I come tomorrow 11am to Anna",
                        "tmrw at 11:00 with anna?",
                        "I'd like to book with Anna tomorrow at 11",
                    ],
                    ru=[
                        "Завтра в 11 к Анне",
                        "можно завтра на 11:00 к Ане?",
                        "запишите к Анне на завтра в 11",
                        "к Ане завтра в одиннадцать",
                    ],
                    pt=[
                        "Amanhã às 11h com a Anna",
                        "dá pra amanhã 11:00 com a anna?",
                        "queria marcar com a Anna amanhã às 11",
                        "amanha 11h com anna pfv",
                    ],
                    es=[
                        "Mañana a las 11 con Anna",
                        "¿mañana 11:00 con anna?",
                        "quiero reservar con Anna mañana a las 11",
                        "mañana 11h con Anna porfa",
                    ],
                ),
                Check(stage=Stage.ASK_SERVICE, staff="Anna", day=1, at="11:00"),
            ),
            Step(
                say(
                    en=["hair colouring", "colouring", "coloring please", "hair color"],
                    ru=["окрашивание", "на окрашивание", "покраска", "окрашивание волос"],
                    pt=["coloração", "tintura", "coloração por favor", "uma tintura"],
                    es=["tinte", "coloración", "un tinte por favor", "tinte de pelo"],
                ),
                confirm("Hair colouring", 1, "11:00", "Anna"),
            ),
            yes_books(Appointment("Hair colouring", "Anna", 1, "11:00")),
        ),
    ),
    Scenario(
        name="service_and_master_first_then_day_and_time_together",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut with Bari",
                        "mens cut with bari pls",
                        "I want a men's haircut, with Bari",
                        "can Bari do a men's haircut for me?",
                    ],
                    ru=[
                        "Мужская стрижка к Бари",
                        "хочу мужскую стрижку у Бари",
                        "к Бари на мужскую стрижку",
                        "запишите к Бари, мужская стрижка",
                    ],
                    pt=[
                        "Corte masculino com o Bari",
                        "quero corte masculino com Bari",
                        "o Bari faz corte masculino pra mim?",
                        "corte masculino c/ bari pfv",
                    ],
                    es=[
                        "Corte de caballero con Bari",
                        "quiero un corte de hombre con Bari",
                        "¿Bari me puede hacer un corte de caballero?",
                        "corte de caballero con bari porfa",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, service="Men's haircut", staff="Bari"),
            ),
            Step(
                say(
                    en=["Tuesday at 10:30", "tue 10:30", "on tuesday, half past ten", "tuesday 10.30am"],
                    ru=["во вторник в 10:30", "вторник 10.30", "во вторник в половине одиннадцатого", "вт в 10:30"],
                    pt=["terça às 10h30", "terça-feira 10:30", "na terça às dez e meia", "terca 10:30"],
                    es=[
                        "el martes a las 10:30",
                        "martes 10:30",
                        "el martes a las diez y media",
                        "martes a las 10 y media",
                    ],
                ),
                confirm("Men's haircut", 4, "10:30", "Bari"),
            ),
            yes_books(Appointment("Men's haircut", "Bari", 4, "10:30")),
        ),
    ),
    Scenario(
        name="in_the_evening_offers_only_evening_times_and_books_the_one_picked",
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow evening",
                        "can I get my nails done tomorrow in the evening?",
                        "manicure tmrw evening pls",
                        "in the evening tomorrow, manicure",
                    ],
                    ru=[
                        "маникюр завтра вечером",
                        "можно на маникюр завтра вечером?",
                        "завтра вечерком на маникюр",
                        "вечером завтра маникюр есть?",
                    ],
                    pt=[
                        "manicure amanhã à noite",
                        "unhas amanhã à noite pfv",
                        "queria manicure amanhã de noite",
                        "tem manicure amanhã à noite?",
                    ],
                    # "por la tarde" runs from midday in Spanish: the evening is "from 5 in the afternoon"
                    es=[
                        "manicura mañana a partir de las 5 de la tarde",
                        "¿manicura mañana a última hora de la tarde?",
                        "mañana después de las 17h, manicura",
                        "uñas mañana a partir de las 17:00 porfa",
                    ],
                ),
                offers("Manicure", 1, after="16:59"),
            ),
            Step(AT_7PM, confirm("Manicure", 1, "19:00")),
            yes_books(Appointment("Manicure", ANY, 1, "19:00")),
        ),
    ),
    Scenario(
        name="after_five_offers_only_later_times_and_the_last_one_is_booked",
        steps=(
            Step(
                say(
                    en=[
                        "hair colouring on Sunday after 5",
                        "colouring sunday after 5pm?",
                        "can I do a hair color on Sunday after 17:00",
                        "sunday, after 5, colouring pls",
                    ],
                    ru=[
                        "окрашивание в воскресенье после 17",
                        "в воскресенье после пяти на окрашивание",
                        "окрашивание в вс после 17:00",
                        "можно на покраску в воскресенье после 5 вечера?",
                    ],
                    pt=[
                        "coloração no domingo depois das 17h",
                        "tintura domingo depois das 5 da tarde",
                        "domingo depois das 17, coloração",
                        "dá pra fazer coloração domingo depois das 5?",
                    ],
                    es=[
                        "tinte el domingo después de las 5",
                        "coloración domingo a partir de las 17h",
                        "el domingo después de las 17:00 para un tinte",
                        "¿tinte el domingo después de las cinco?",
                    ],
                ),
                offers("Hair colouring", 2, after="16:59"),
            ),
            Step(
                say(
                    en=["the last one", "last", "the latest one pls", "the last option"],
                    ru=["последнее", "последний", "давайте последнее", "последнее время"],
                    pt=["o último", "a última", "último horário", "pode ser o último"],
                    es=["la última", "el último", "la última opción", "el último horario"],
                ),
                confirm("Hair colouring", 2, "18:00"),  # 2 hours: 18:00 is the last start before closing at 20:00
            ),
            yes_books(Appointment("Hair colouring", ANY, 2, "18:00")),
        ),
    ),
    Scenario(
        name="service_master_day_and_afternoon_in_one_message_offers_her_afternoon",
        steps=(
            Step(
                say(
                    en=[
                        "Women's haircut with Bari on Tuesday afternoon",
                        "womens haircut w/ bari tuesday afternoon?",
                        "can I book a women's cut with Bari on tuesday in the afternoon",
                        "tuesday afternoon, Bari, women's haircut pls",
                    ],
                    ru=[
                        "Женская стрижка к Бари во вторник днём",
                        "можно к Бари на женскую стрижку во вторник после обеда?",
                        "во вторник днем к Бари, женская стрижка",
                        "запишите на женскую стрижку к Бари во вторник днём",
                    ],
                    pt=[
                        "Corte feminino com o Bari na terça à tarde",
                        "corte feminino c/ bari terça à tarde?",
                        "queria corte feminino com o Bari na terça de tarde",
                        "terça à tarde, Bari, corte feminino pfv",
                    ],
                    es=[
                        "Corte de señora con Bari el martes por la tarde",
                        "corte de mujer con bari el martes por la tarde?",
                        "quiero un corte de señora con Bari el martes por la tarde",
                        "martes por la tarde, Bari, corte de mujer porfa",
                    ],
                ),
                offers("Women's haircut", 4, "Bari", after="11:59"),
            ),
            Step(AT_2PM, confirm("Women's haircut", 4, "14:00", "Bari")),
            yes_books(Appointment("Women's haircut", "Bari", 4, "14:00")),
        ),
    ),
    Scenario(
        name="any_master_at_a_named_time_books_whoever_is_free_then",
        taken=(Appointment("Manicure", "Anna", 1, "15:00"), Appointment("Manicure", "Bari", 1, "15:00")),
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow at 3pm, any master is fine",
                        "nails tmrw 15:00 whoever is free",
                        "manicure tomorrow 3pm, I don't mind who",
                        "can I get a manicure tomorrow at 3 with anyone",
                    ],
                    ru=[
                        "маникюр завтра в 15:00, к любому мастеру",
                        "маникюр завтра в 3 дня, мастер не важен",
                        "завтра в 15 на маникюр, к кому угодно",
                        "на маникюр завтра в 15.00, любой мастер",
                    ],
                    pt=[
                        "manicure amanhã às 15h, qualquer profissional",
                        "unhas amanhã 15:00 com quem tiver livre",
                        "manicure amanhã às 3 da tarde, tanto faz quem",
                        "manicure amanha 15h qualquer uma",
                    ],
                    es=[
                        "manicura mañana a las 15:00, con cualquiera",
                        "uñas mañana a las 3 de la tarde, me da igual quién",
                        "manicura mañana 15h con quien esté libre",
                        "manicura mañana a las 15, cualquier profesional",
                    ],
                ),
                confirm("Manicure", 1, "15:00", "Olga"),  # Anna and Bari are busy then
            ),
            yes_books(Appointment("Manicure", "Olga", 1, "15:00")),
        ),
    ),
    Scenario(
        name="named_master_busy_at_that_time_says_not_free_and_offers_her_other_times",
        taken=(Appointment("Manicure", "Anna", 1, "15:00"),),
        steps=(
            Step(
                MANICURE_WITH_ANNA_TOMORROW_3PM,
                Check(stage=Stage.CHOOSE_SLOT, says=(NOT_FREE, WHICH_TIME), service="Manicure", staff="Anna", day=1),
            ),
            Step(
                say(
                    en=["4pm then", "ok 16:00", "4 pm is fine", "then at 4"],
                    ru=["тогда в 16:00", "давайте в 16", "ну в 4 дня", "16.00"],
                    pt=["então às 16h", "16:00 então", "pode ser às 4 da tarde", "16h"],
                    es=["entonces a las 16:00", "a las 4 de la tarde", "16h entonces", "pues a las 16"],
                ),
                confirm("Manicure", 1, "16:00", "Anna"),
            ),
            yes_books(Appointment("Manicure", "Anna", 1, "16:00")),
        ),
    ),
    Scenario(
        name="part_of_the_day_said_after_the_offer_narrows_it_to_the_evening",
        steps=(
            Step(
                say(
                    en=[
                        "manicure on Tuesday",
                        "nails on tuesday pls",
                        "can I book a manicure for Tuesday",
                        "tuesday manicure?",
                    ],
                    ru=[
                        "маникюр во вторник",
                        "на маникюр во вторник",
                        "можно во вторник на маникюр?",
                        "маникюр на вторник",
                    ],
                    pt=[
                        "manicure na terça",
                        "unhas na terça pfv",
                        "queria marcar manicure pra terça",
                        "terça-feira manicure?",
                    ],
                    es=[
                        "manicura el martes",
                        "uñas el martes porfa",
                        "quiero reservar manicura para el martes",
                        "¿manicura el martes?",
                    ],
                ),
                offers("Manicure", 4),
            ),
            Step(
                say(
                    en=[
                        "something in the evening?",
                        "evening pls",
                        "do you have evening times",
                        "in the evening would be better",
                    ],
                    ru=["а вечером есть?", "лучше вечером", "что-нибудь вечером", "вечером можно?"],
                    pt=["tem à noite?", "de noite pfv", "melhor à noite", "algum horário à noite?"],
                    es=[
                        "¿algo a partir de las 5 de la tarde?",
                        "mejor a última hora de la tarde",
                        "después de las 17h?",
                        "a partir de las 17 porfa",
                    ],
                ),
                offers("Manicure", 4, after="16:59"),
            ),
            Step(AT_7PM, confirm("Manicure", 4, "19:00")),
            yes_books(Appointment("Manicure", ANY, 4, "19:00")),
        ),
    ),
]

CORRECTIONS = [
    Scenario(
        name="not_x_but_y_at_the_confirmation_changes_only_the_service",
        steps=(
            Step(MANICURE_WITH_OLGA_TOMORROW_4PM, confirm("Manicure", 1, "16:00", "Olga")),
            Step(
                say(
                    en=[
                        "not a manicure, a hair colouring",
                        "sorry not manicure but colouring",
                        "no not the manicure, hair colouring",
                        "oops, not manicure - colouring I meant",
                    ],
                    ru=[
                        "не маникюр, а окрашивание",
                        "ой, не маникюр а окрашивание",
                        "не на маникюр, а на окрашивание",
                        "нет, не маникюр, а покраска",
                    ],
                    pt=[
                        "não é manicure, é coloração",
                        "não manicure, coloração",
                        "na verdade não é manicure, é tintura",
                        "não quero manicure, quero coloração",
                    ],
                    es=[
                        "no es manicura, es tinte",
                        "no manicura, sino tinte",
                        "perdón, no la manicura, un tinte",
                        "no quiero manicura sino coloración",
                    ],
                ),
                confirm("Hair colouring", 1, "16:00", "Olga", correction=True),
            ),
            yes_books(Appointment("Hair colouring", "Olga", 1, "16:00")),
        ),
    ),
    Scenario(
        name="not_x_but_y_while_choosing_a_time_keeps_the_day_and_the_afternoon",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut tomorrow afternoon",
                        "mens haircut tmrw afternoon?",
                        "can I get a men's cut tomorrow in the afternoon",
                        "tomorrow afternoon, men's haircut pls",
                    ],
                    ru=[
                        "мужская стрижка завтра днём",
                        "на мужскую стрижку завтра после обеда",
                        "можно завтра днем мужскую стрижку?",
                        "завтра днём мужская стрижка",
                    ],
                    pt=[
                        "corte masculino amanhã à tarde",
                        "corte masculino amanha de tarde?",
                        "queria um corte masculino amanhã à tarde",
                        "amanhã à tarde, corte masculino pfv",
                    ],
                    es=[
                        "corte de caballero mañana por la tarde",
                        "corte de hombre mañana por la tarde?",
                        "quiero un corte de caballero mañana por la tarde",
                        "mañana por la tarde, corte de caballero porfa",
                    ],
                ),
                offers("Men's haircut", 1, after="11:59"),
            ),
            Step(
                say(
                    en=[
                        "sorry, not a men's haircut but a women's haircut",
                        "oh wait not men's, women's haircut",
                        "not men's cut, a women's cut pls",
                        "no not the men's haircut, women's haircut",
                    ],
                    ru=[
                        "ой, не мужская, а женская стрижка",
                        "не мужскую, а женскую стрижку",
                        "не мужская стрижка, а женская",
                        "нет, не мужская стрижка, а женская стрижка",
                    ],
                    pt=[
                        "desculpa, não é corte masculino, é corte feminino",
                        "não corte masculino, corte feminino",
                        "na verdade não é masculino, é corte feminino",
                        "não quero corte masculino, quero corte feminino",
                    ],
                    es=[
                        "perdón, no es corte de caballero, es corte de señora",
                        "no corte de caballero, sino corte de mujer",
                        "no es de caballero, es un corte de señora",
                        "no quiero corte de hombre sino corte de mujer",
                    ],
                ),
                offers("Women's haircut", 1, after="11:59"),
            ),
            Step(
                say(
                    en=["3pm", "15:00", "3 pm pls", "at 3"],
                    ru=["в 15:00", "15.00", "в 3 часа дня", "давайте в 15"],
                    pt=["às 15h", "15:00", "3 da tarde", "pode ser 15h"],
                    es=["a las 15:00", "15h", "a las 3 de la tarde", "a las tres"],
                ),
                confirm("Women's haircut", 1, "15:00"),
            ),
            yes_books(Appointment("Women's haircut", ANY, 1, "15:00")),
        ),
    ),
    Scenario(
        name="no_wait_another_day_at_the_confirmation_keeps_service_time_and_master",
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut with Anna tomorrow at 1pm",
                        "womens haircut w/ anna tmrw 13:00",
                        "can Anna do a women's haircut for me tomorrow at 1?",
                        "book a women's cut tomorrow 1 pm with Anna",
                    ],
                    ru=[
                        "женская стрижка к Анне завтра в 13:00",
                        "на женскую стрижку к Ане завтра в час дня",
                        "запишите к Анне на женскую стрижку завтра в 13",
                        "завтра в 13.00 к Анне, женская стрижка",
                    ],
                    pt=[
                        "corte feminino com a Anna amanhã às 13h",
                        "corte feminino c/ anna amanha 13:00",
                        "queria corte feminino amanhã à 1 da tarde com a Anna",
                        "marca corte feminino amanhã 13h com a Anna",
                    ],
                    es=[
                        "corte de señora con Anna mañana a las 13:00",
                        "corte de mujer con anna mañana 13h",
                        "quiero un corte de señora mañana a la 1 de la tarde con Anna",
                        "reserva corte de mujer mañana a las 13 con Anna",
                    ],
                ),
                confirm("Women's haircut", 1, "13:00", "Anna"),
            ),
            Step(
                say(
                    en=[
                        "no wait, Thursday",
                        "actually thursday",
                        "oh no, can we do thursday instead",
                        "hmm no - thursday pls",
                    ],
                    ru=["ой нет, в четверг", "а, нет, давайте в четверг", "нет, лучше в четверг", "стоп, в четверг"],
                    pt=["não, espera, quinta", "na verdade quinta-feira", "ah não, pode ser na quinta?", "não, quinta"],
                    es=["no, espera, el jueves", "mejor el jueves", "ay no, el jueves", "no no, jueves porfa"],
                ),
                confirm("Women's haircut", 6, "13:00", "Anna", correction=True),
            ),
            yes_books(Appointment("Women's haircut", "Anna", 6, "13:00")),
        ),
    ),
    Scenario(
        name="another_day_while_choosing_a_time_offers_that_day_for_the_same_service",
        steps=(
            Step(
                say(
                    en=[
                        "hair colouring on Sunday",
                        "colouring sunday?",
                        "can I book a hair color for Sunday",
                        "sunday pls, colouring",
                    ],
                    ru=[
                        "окрашивание в воскресенье",
                        "на окрашивание в воскресенье",
                        "можно в воскресенье на покраску?",
                        "окрашивание на воскресенье",
                    ],
                    pt=[
                        "coloração no domingo",
                        "tintura domingo?",
                        "queria marcar coloração pro domingo",
                        "domingo pfv, coloração",
                    ],
                    es=[
                        "tinte el domingo",
                        "coloración el domingo?",
                        "quiero reservar un tinte para el domingo",
                        "el domingo porfa, tinte",
                    ],
                ),
                offers("Hair colouring", 2),
            ),
            Step(
                say(
                    en=[
                        "sorry, I meant Monday",
                        "actually monday would be better",
                        "no, monday",
                        "can we look at monday instead?",
                    ],
                    ru=[
                        "ой, я имела в виду понедельник",
                        "лучше в понедельник",
                        "нет, в понедельник",
                        "а в понедельник можно?",
                    ],
                    pt=[
                        "desculpa, quis dizer segunda-feira",
                        "na verdade segunda é melhor",
                        "não, segunda-feira",
                        "e na segunda-feira?",
                    ],
                    es=["perdón, quería decir el lunes", "mejor el lunes", "no, el lunes", "¿y el lunes?"],
                ),
                offers("Hair colouring", 3),
            ),
            Step(
                say(
                    en=["at noon", "12:00", "12pm", "midday pls"],
                    ru=["в 12:00", "в полдень", "в 12 дня", "12.00"],
                    pt=["ao meio-dia", "12:00", "às 12h", "meio dia"],
                    es=["a mediodía", "12:00", "a las 12", "a las doce del mediodía"],
                ),
                confirm("Hair colouring", 3, "12:00"),
            ),
            yes_books(Appointment("Hair colouring", ANY, 3, "12:00")),
        ),
    ),
    Scenario(
        name="make_it_another_time_at_the_confirmation_changes_only_the_time",
        steps=(
            Step(
                say(
                    en=[
                        "manicure with Bari on Wednesday at 3pm",
                        "nails w/ bari wed 15:00",
                        "can Bari do a manicure on wednesday at 3?",
                        "wednesday 3 pm manicure, Bari pls",
                    ],
                    ru=[
                        "маникюр к Бари в среду в 15:00",
                        "на маникюр к Бари в среду в 3 дня",
                        "запишите к Бари на маникюр в ср в 15",
                        "в среду в 15.00 к Бари на маникюр",
                    ],
                    pt=[
                        "manicure com o Bari na quarta às 15h",
                        "unhas c/ bari quarta 15:00",
                        "queria manicure quarta-feira às 3 da tarde com o Bari",
                        "quarta 15h manicure com o Bari pfv",
                    ],
                    es=[
                        "manicura con Bari el miércoles a las 15:00",
                        "uñas con bari miércoles 15h",
                        "quiero manicura el miércoles a las 3 de la tarde con Bari",
                        "miércoles a las 15 manicura con Bari porfa",
                    ],
                ),
                confirm("Manicure", 5, "15:00", "Bari"),
            ),
            Step(
                say(
                    en=["make it 5pm", "can we do 17:00 instead", "5pm would be better", "change it to 5 pm pls"],
                    ru=[
                        "давайте в 17:00",
                        "а можно в 17 вместо этого?",
                        "лучше в 5 вечера",
                        "перенесите на 17.00 пожалуйста",
                    ],
                    pt=["muda pra 17h", "pode ser às 17:00?", "melhor às 5 da tarde", "troca pra 17h pfv"],
                    es=[
                        "mejor a las 17:00",
                        "¿puede ser a las 5 de la tarde?",
                        "cámbialo a las 17h",
                        "a las 17 mejor porfa",
                    ],
                ),
                confirm("Manicure", 5, "17:00", "Bari", correction=True),
            ),
            yes_books(Appointment("Manicure", "Bari", 5, "17:00")),
        ),
    ),
    Scenario(
        name="a_bit_later_at_the_confirmation_offers_only_later_times",
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow at 2pm",
                        "nails tmrw 14:00",
                        "can I get a manicure tomorrow at 2?",
                        "manicure tomorrow 2 pm pls",
                    ],
                    ru=[
                        "маникюр завтра в 14:00",
                        "на маникюр завтра в 2 дня",
                        "можно завтра в 14 на маникюр?",
                        "маникюр на завтра, 14.00",
                    ],
                    pt=[
                        "manicure amanhã às 14h",
                        "unhas amanha 14:00",
                        "dá pra fazer manicure amanhã às 2 da tarde?",
                        "manicure amanhã 14h pfv",
                    ],
                    es=[
                        "manicura mañana a las 14:00",
                        "uñas mañana 14h",
                        "¿me haces la manicura mañana a las 2 de la tarde?",
                        "manicura mañana a las 14 porfa",
                    ],
                ),
                confirm("Manicure", 1, "14:00"),
            ),
            Step(
                say(
                    en=["a bit later?", "hmm a little later maybe", "could it be slightly later", "bit later pls"],
                    ru=["а можно попозже?", "чуть позже", "немного попозже пожалуйста", "хм, попозже бы"],
                    pt=[
                        "um pouco mais tarde?",
                        "pode ser mais tarde?",
                        "um pouquinho mais tarde pfv",
                        "hmm, mais tarde tem?",
                    ],
                    es=["¿un poco más tarde?", "algo más tarde", "un poquito más tarde porfa", "¿puede ser más tarde?"],
                ),
                offers("Manicure", 1, after="14:00"),
            ),
            Step(
                say(
                    en=["4pm", "16:00", "4 pm pls", "at 4"],
                    ru=["в 16:00", "16.00", "в 4 часа дня", "давайте в 16"],
                    pt=["às 16h", "16:00", "4 da tarde", "pode ser 16h"],
                    es=["a las 16:00", "16h", "a las 4 de la tarde", "a las cuatro"],
                ),
                confirm("Manicure", 1, "16:00"),
            ),
            yes_books(Appointment("Manicure", ANY, 1, "16:00")),
        ),
    ),
    Scenario(
        name="a_bit_later_while_choosing_offers_times_after_the_last_one_offered",
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow morning",
                        "nails tmrw morning?",
                        "can I book a manicure tomorrow in the morning",
                        "tomorrow morning pls, manicure",
                    ],
                    ru=[
                        "маникюр завтра утром",
                        "на маникюр завтра с утра",
                        "можно завтра утром на маникюр?",
                        "завтра утречком маникюр",
                    ],
                    pt=[
                        "manicure amanhã de manhã",
                        "unhas amanha de manhã?",
                        "queria manicure amanhã pela manhã",
                        "amanhã de manhã pfv, manicure",
                    ],
                    es=[
                        "manicura mañana por la mañana",
                        "uñas mañana por la mañana?",
                        "quiero manicura mañana por la mañana",
                        "mañana por la mañana porfa, manicura",
                    ],
                ),
                offers("Manicure", 1),  # the morning: 10:00 to 11:30
            ),
            Step(
                say(
                    en=["anything a bit later?", "a little later pls", "hmm later?", "something later"],
                    ru=["а попозже?", "чуть позже есть?", "можно попозже", "что-нибудь попозже"],
                    pt=["um pouco mais tarde?", "mais tarde tem?", "um pouquinho mais tarde pfv", "algo mais tarde"],
                    es=["¿algo un poco más tarde?", "más tarde porfa", "¿un poquito más tarde?", "algo más tarde"],
                ),
                offers("Manicure", 1, after="11:30"),
            ),
            Step(
                say(
                    en=["1:30pm", "13:30", "half past one", "1.30 pm pls"],
                    ru=["в 13:30", "13.30", "в половине второго", "давайте в 13:30"],
                    pt=["às 13h30", "13:30", "uma e meia da tarde", "pode ser 13:30"],
                    es=["a las 13:30", "13:30h", "a la una y media", "a las 13 y media"],
                ),
                confirm("Manicure", 1, "13:30"),
            ),
            yes_books(Appointment("Manicure", ANY, 1, "13:30")),
        ),
    ),
    Scenario(
        name="an_hour_later_at_the_confirmation_confirms_that_time_with_the_same_master",
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut with Olga on Monday at 2pm",
                        "womens haircut w/ olga mon 14:00",
                        "can Olga do a women's cut on monday at 2?",
                        "monday 2 pm, women's haircut with Olga pls",
                    ],
                    ru=[
                        "женская стрижка к Ольге в понедельник в 14:00",
                        "на женскую стрижку к Оле в понедельник в 2 дня",
                        "запишите к Ольге на женскую стрижку в пн в 14",
                        "в понедельник в 14.00 к Ольге, женская стрижка",
                    ],
                    pt=[
                        "corte feminino com a Olga na segunda-feira às 14h",
                        "corte feminino c/ olga segunda 14:00",
                        "queria corte feminino segunda-feira às 2 da tarde com a Olga",
                        "segunda-feira 14h corte feminino com a Olga pfv",
                    ],
                    es=[
                        "corte de señora con Olga el lunes a las 14:00",
                        "corte de mujer con olga lunes 14h",
                        "quiero un corte de señora el lunes a las 2 de la tarde con Olga",
                        "el lunes a las 14, corte de mujer con Olga porfa",
                    ],
                ),
                confirm("Women's haircut", 3, "14:00", "Olga"),
            ),
            Step(
                say(
                    en=[
                        "an hour later?",
                        "can we make it one hour later",
                        "1 hour later pls",
                        "hmm, an hour later would be better",
                    ],
                    ru=[
                        "на час позже можно?",
                        "давайте на час попозже",
                        "а на час позже?",
                        "на 1 час позже пожалуйста",
                    ],
                    pt=[
                        "uma hora mais tarde?",
                        "pode ser uma hora depois?",
                        "1 hora mais tarde pfv",
                        "dá pra ser uma hora mais tarde?",
                    ],
                    es=[
                        "¿una hora más tarde?",
                        "mejor una hora más tarde",
                        "1 hora más tarde porfa",
                        "¿se puede una hora después?",
                    ],
                ),
                confirm("Women's haircut", 3, "15:00", "Olga", correction=True),
            ),
            yes_books(Appointment("Women's haircut", "Olga", 3, "15:00")),
        ),
    ),
    Scenario(
        name="an_hour_later_onto_a_taken_time_says_it_is_not_free_and_offers_nearby_times",
        taken=(
            Appointment("Manicure", "Anna", 1, "16:00"),
            Appointment("Manicure", "Bari", 1, "16:00"),
            Appointment("Manicure", "Olga", 1, "16:00"),
        ),
        steps=(
            Step(MANICURE_TOMORROW_3PM, confirm("Manicure", 1, "15:00")),
            Step(AN_HOUR_LATER, Check(stage=Stage.CHOOSE_SLOT, says=(NOT_FREE, WHICH_TIME), service="Manicure", day=1)),
            Step(
                say(
                    en=["5pm then", "ok 17:00", "5 pm is fine", "then at 5"],
                    ru=["тогда в 17:00", "давайте в 17", "ну в 5 вечера", "17.00"],
                    pt=["então às 17h", "17:00 então", "pode ser às 5 da tarde", "17h"],
                    es=["entonces a las 17:00", "a las 5 de la tarde", "17h entonces", "pues a las 17"],
                ),
                confirm("Manicure", 1, "17:00"),
            ),
            yes_books(Appointment("Manicure", ANY, 1, "17:00")),
        ),
    ),
    Scenario(
        name="same_time_on_another_day_keeps_the_time_and_the_master",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut with Bari tomorrow at 12:30",
                        "mens cut w/ bari tmrw 12:30",
                        "can Bari do a men's haircut tomorrow at half past twelve?",
                        "tomorrow 12.30, men's haircut, Bari pls",
                    ],
                    ru=[
                        "мужская стрижка к Бари завтра в 12:30",
                        "на мужскую стрижку к Бари завтра в 12.30",
                        "запишите к Бари на мужскую стрижку завтра в половине первого",
                        "завтра в 12:30 к Бари, мужская стрижка",
                    ],
                    pt=[
                        "corte masculino com o Bari amanhã às 12h30",
                        "corte masculino c/ bari amanha 12:30",
                        "queria corte masculino amanhã ao meio-dia e meia com o Bari",
                        "amanhã 12:30 corte masculino com o Bari pfv",
                    ],
                    es=[
                        "corte de caballero con Bari mañana a las 12:30",
                        "corte de hombre con bari mañana 12:30",
                        "quiero un corte de caballero mañana a las doce y media con Bari",
                        "mañana a las 12 y media, corte de caballero con Bari",
                    ],
                ),
                confirm("Men's haircut", 1, "12:30", "Bari"),
            ),
            Step(
                say(
                    en=[
                        "same time on Tuesday",
                        "can we do tuesday at the same time instead",
                        "tuesday same time pls",
                        "actually tuesday, same time",
                    ],
                    ru=[
                        "во вторник в то же время",
                        "а можно во вторник в это же время?",
                        "давайте во вторник, то же время",
                        "лучше во вторник в тоже время",
                    ],
                    pt=[
                        "terça no mesmo horário",
                        "pode ser na terça no mesmo horário?",
                        "na terça, mesmo horário",
                        "melhor terça-feira, mesma hora",
                    ],
                    es=[
                        "el martes a la misma hora",
                        "¿mejor el martes a la misma hora?",
                        "martes misma hora porfa",
                        "cámbialo al martes, mismo horario",
                    ],
                ),
                confirm("Men's haircut", 4, "12:30", "Bari", correction=True),
            ),
            yes_books(Appointment("Men's haircut", "Bari", 4, "12:30")),
        ),
    ),
    Scenario(
        name="the_other_master_at_the_confirmation_keeps_the_time_with_the_one_who_is_free",
        taken=(Appointment("Manicure", "Bari", 1, "15:00"),),
        steps=(
            Step(MANICURE_WITH_ANNA_TOMORROW_3PM, confirm("Manicure", 1, "15:00", "Anna")),
            Step(
                say(
                    en=[
                        "can I have the other master?",
                        "another master please",
                        "a different master pls",
                        "I'd rather not Anna, someone else",
                    ],
                    ru=[
                        "а можно к другому мастеру?",
                        "к другому мастеру",
                        "давайте другой мастер",
                        "не к Анне, а к другому мастеру",
                    ],
                    pt=[
                        "pode ser com outra profissional?",
                        "com outra pessoa pfv",
                        "prefiro outra profissional",
                        "não com a Anna, com outra pessoa",
                    ],
                    es=[
                        "¿puede ser con otra profesional?",
                        "con otra persona porfa",
                        "prefiero otra chica",
                        "no con Anna, con otra persona",
                    ],
                ),
                confirm("Manicure", 1, "15:00", "Olga", correction=True),  # Bari is busy then
            ),
            yes_books(Appointment("Manicure", "Olga", 1, "15:00")),
        ),
    ),
    Scenario(
        name="a_bit_earlier_at_the_confirmation_offers_earlier_times_of_that_day",
        steps=(
            Step(
                say(
                    en=[
                        "hair colouring tomorrow at 5pm",
                        "colouring tmrw 17:00",
                        "can I book a hair color tomorrow at 5?",
                        "colouring tomorrow 5 pm pls",
                    ],
                    ru=[
                        "окрашивание завтра в 17:00",
                        "на окрашивание завтра в 5 вечера",
                        "можно завтра в 17 на покраску?",
                        "окрашивание на завтра, 17.00",
                    ],
                    pt=[
                        "coloração amanhã às 17h",
                        "tintura amanha 17:00",
                        "dá pra fazer coloração amanhã às 5 da tarde?",
                        "coloração amanhã 17h pfv",
                    ],
                    es=[
                        "tinte mañana a las 17:00",
                        "coloración mañana 17h",
                        "¿me haces un tinte mañana a las 5 de la tarde?",
                        "tinte mañana a las 17 porfa",
                    ],
                ),
                confirm("Hair colouring", 1, "17:00"),
            ),
            Step(
                say(
                    en=["a bit earlier?", "hmm, a little earlier", "could it be earlier", "bit earlier pls"],
                    ru=["а можно пораньше?", "чуть раньше", "немного пораньше пожалуйста", "хм, пораньше бы"],
                    pt=[
                        "um pouco mais cedo?",
                        "pode ser mais cedo?",
                        "um pouquinho mais cedo pfv",
                        "hmm, mais cedo tem?",
                    ],
                    es=[
                        "¿un poco más temprano?",
                        "algo más temprano",
                        "un poquito más temprano porfa",
                        "¿puede ser más temprano?",
                    ],
                ),
                offers("Hair colouring", 1),
            ),
            Step(AT_2PM, confirm("Hair colouring", 1, "14:00")),
            yes_books(Appointment("Hair colouring", ANY, 1, "14:00")),
        ),
    ),
    Scenario(
        name="half_an_hour_earlier_at_the_confirmation_confirms_that_time",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut tomorrow at 6pm",
                        "mens haircut tmrw 18:00",
                        "can I get a men's cut tomorrow at 6?",
                        "men's haircut tomorrow 6 pm pls",
                    ],
                    ru=[
                        "мужская стрижка завтра в 18:00",
                        "на мужскую стрижку завтра в 6 вечера",
                        "можно завтра в 18 на мужскую стрижку?",
                        "мужская стрижка на завтра, 18.00",
                    ],
                    pt=[
                        "corte masculino amanhã às 18h",
                        "corte masculino amanha 18:00",
                        "dá pra fazer corte masculino amanhã às 6 da tarde?",
                        "corte masculino amanhã 18h pfv",
                    ],
                    es=[
                        "corte de caballero mañana a las 18:00",
                        "corte de hombre mañana 18h",
                        "¿me haces un corte de caballero mañana a las 6 de la tarde?",
                        "corte de caballero mañana a las 18 porfa",
                    ],
                ),
                confirm("Men's haircut", 1, "18:00"),
            ),
            Step(
                say(
                    en=[
                        "half an hour earlier",
                        "can we do 30 min earlier?",
                        "half an hour earlier pls",
                        "30 minutes earlier would be better",
                    ],
                    ru=[
                        "на полчаса раньше",
                        "а можно на полчаса пораньше?",
                        "давайте на 30 минут раньше",
                        "на полчаса пораньше пожалуйста",
                    ],
                    pt=[
                        "meia hora mais cedo",
                        "pode ser meia hora antes?",
                        "30 min mais cedo pfv",
                        "dá pra meia hora antes?",
                    ],
                    es=[
                        "media hora antes",
                        "¿media hora más temprano?",
                        "30 minutos antes porfa",
                        "mejor media hora antes",
                    ],
                ),
                confirm("Men's haircut", 1, "17:30", correction=True),
            ),
            yes_books(Appointment("Men's haircut", ANY, 1, "17:30")),
        ),
    ),
    Scenario(
        name="no_with_a_new_time_at_the_confirmation_is_a_correction_not_a_refusal",
        steps=(
            Step(MANICURE_TOMORROW_3PM, confirm("Manicure", 1, "15:00")),
            Step(
                say(
                    en=["no, at 6pm please", "no 18:00", "nope, make it 6pm", "no, 6 in the evening"],
                    ru=["нет, в 18:00", "нет, давайте в 6 вечера", "не, в 18", "нет, лучше в шесть вечера"],
                    pt=["não, às 18h", "não, 18:00", "não, melhor às 6 da tarde", "nao, 18h pfv"],
                    es=[
                        "no, a las 18:00",
                        "no, a las 6 de la tarde",
                        "no, mejor a las 18h",
                        "nop, a las seis de la tarde",
                    ],
                ),
                confirm("Manicure", 1, "18:00", correction=True),
            ),
            yes_books(Appointment("Manicure", ANY, 1, "18:00")),
        ),
    ),
    Scenario(
        name="no_with_another_master_at_the_confirmation_switches_to_her_at_the_same_time",
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut tomorrow at 11am with Anna",
                        "womens haircut tmrw 11:00 w/ anna",
                        "can Anna do a women's cut tomorrow at 11?",
                        "book a women's haircut with Anna tomorrow 11 am",
                    ],
                    ru=[
                        "женская стрижка завтра в 11:00 к Анне",
                        "на женскую стрижку к Ане завтра в 11",
                        "запишите к Анне на женскую стрижку завтра в 11 утра",
                        "завтра в 11.00 к Анне, женская стрижка",
                    ],
                    pt=[
                        "corte feminino amanhã às 11h com a Anna",
                        "corte feminino c/ anna amanha 11:00",
                        "queria corte feminino amanhã às 11 da manhã com a Anna",
                        "marca corte feminino com a Anna amanhã 11h",
                    ],
                    es=[
                        "corte de señora mañana a las 11:00 con Anna",
                        "corte de mujer con anna mañana 11h",
                        "quiero un corte de señora mañana a las 11 de la mañana con Anna",
                        "reserva corte de mujer con Anna mañana a las 11",
                    ],
                ),
                confirm("Women's haircut", 1, "11:00", "Anna"),
            ),
            Step(
                say(
                    en=["no, with Olga", "no, I'd prefer Olga", "nope, Olga please", "no no, with olga"],
                    ru=["нет, к Ольге", "нет, лучше к Оле", "не, к Ольге пожалуйста", "нет-нет, к Ольге"],
                    pt=["não, com a Olga", "não, prefiro a Olga", "nao, com olga pfv", "não não, com a Olga"],
                    es=["no, con Olga", "no, prefiero a Olga", "no, con olga porfa", "no no, con Olga"],
                ),
                confirm("Women's haircut", 1, "11:00", "Olga", correction=True),
            ),
            yes_books(Appointment("Women's haircut", "Olga", 1, "11:00")),
        ),
    ),
    Scenario(
        name="no_with_another_day_and_time_at_the_confirmation_keeps_the_service_and_master",
        steps=(
            Step(MANICURE_WITH_OLGA_TOMORROW_4PM, confirm("Manicure", 1, "16:00", "Olga")),
            Step(
                say(
                    en=[
                        "no, Sunday at 11",
                        "no - sunday 11am",
                        "nope, sunday at 11:00 please",
                        "no, make it sunday 11 am",
                    ],
                    ru=[
                        "нет, в воскресенье в 11",
                        "нет, в воскресенье в 11:00",
                        "не, давайте в воскресенье в 11 утра",
                        "нет, лучше в воскресенье в одиннадцать",
                    ],
                    pt=[
                        "não, domingo às 11h",
                        "não, no domingo às 11",
                        "nao, domingo 11:00 pfv",
                        "não, melhor domingo às 11 da manhã",
                    ],
                    es=[
                        "no, el domingo a las 11",
                        "no, domingo a las 11:00",
                        "no, mejor el domingo a las 11 de la mañana",
                        "nop, el domingo a las once",
                    ],
                ),
                confirm("Manicure", 2, "11:00", "Olga", correction=True),
            ),
            yes_books(Appointment("Manicure", "Olga", 2, "11:00")),
        ),
    ),
    Scenario(
        name="plain_no_at_the_confirmation_drops_the_booking",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut tomorrow at 4pm",
                        "mens haircut tmrw 16:00",
                        "can I get a men's cut tomorrow at 4?",
                        "men's haircut tomorrow 4 pm pls",
                    ],
                    ru=[
                        "мужская стрижка завтра в 16:00",
                        "на мужскую стрижку завтра в 4 дня",
                        "можно завтра в 16 на мужскую стрижку?",
                        "мужская стрижка на завтра, 16.00",
                    ],
                    pt=[
                        "corte masculino amanhã às 16h",
                        "corte masculino amanha 16:00",
                        "dá pra fazer corte masculino amanhã às 4 da tarde?",
                        "corte masculino amanhã 16h pfv",
                    ],
                    es=[
                        "corte de caballero mañana a las 16:00",
                        "corte de hombre mañana 16h",
                        "¿me haces un corte de caballero mañana a las 4 de la tarde?",
                        "corte de caballero mañana a las 16 porfa",
                    ],
                ),
                confirm("Men's haircut", 1, "16:00"),
            ),
            Step(
                say(
                    en=["no", "no thanks", "nope", "no, never mind"],
                    ru=["нет", "нет, спасибо", "не надо", "нет, передумал"],
                    pt=["não", "não, obrigado", "não precisa", "nao, deixa pra lá"],
                    es=["no", "no, gracias", "no hace falta", "no, déjalo"],
                ),
                Check(stage=Stage.IDLE, says=(DROPPED,), not_says=(BOOKED,), booked=()),
            ),
        ),
    ),
    Scenario(
        name="corrections_one_after_another_an_hour_later_then_same_time_another_day",
        steps=(
            Step(
                say(
                    en=[
                        "manicure with Olga tomorrow at 1pm",
                        "nails w/ olga tmrw 13:00",
                        "can I book a manicure with Olga tomorrow at 1",
                        "manicure tomorrow 1 pm, Olga pls",
                    ],
                    ru=[
                        "маникюр к Ольге завтра в 13:00",
                        "на маникюр к Оле завтра в час дня",
                        "запишите на маникюр завтра в 13 к Ольге",
                        "к Ольге завтра в 13.00 на маникюр",
                    ],
                    pt=[
                        "manicure com a Olga amanhã às 13h",
                        "unhas c/ olga amanha 13:00",
                        "queria manicure amanhã à 1 da tarde com a Olga",
                        "manicure amanhã 13h, com a Olga pfv",
                    ],
                    es=[
                        "manicura con Olga mañana a las 13:00",
                        "uñas con olga mañana 13h",
                        "quiero manicura mañana a la 1 de la tarde con Olga",
                        "manicura mañana a las 13, con Olga porfa",
                    ],
                ),
                confirm("Manicure", 1, "13:00", "Olga"),
            ),
            Step(AN_HOUR_LATER, confirm("Manicure", 1, "14:00", "Olga", correction=True)),
            Step(
                say(
                    en=[
                        "same time on Wednesday",
                        "hmm, wednesday at the same time instead?",
                        "wednesday same time pls",
                        "actually wednesday, same time",
                    ],
                    ru=[
                        "в среду в то же время",
                        "а можно в среду в это же время?",
                        "давайте в среду, то же время",
                        "лучше в среду в тоже время",
                    ],
                    pt=[
                        "quarta no mesmo horário",
                        "pode ser na quarta no mesmo horário?",
                        "na quarta, mesmo horário",
                        "melhor quarta-feira, mesma hora",
                    ],
                    es=[
                        "el miércoles a la misma hora",
                        "¿mejor el miércoles a la misma hora?",
                        "miércoles misma hora porfa",
                        "cámbialo al miércoles, mismo horario",
                    ],
                ),
                confirm("Manicure", 5, "14:00", "Olga", correction=True),
            ),
            yes_books(Appointment("Manicure", "Olga", 5, "14:00")),
        ),
    ),
]

A_YES_TO_A_CHOICE = [
    Scenario(
        name="yes_to_which_haircut_asks_again_keeping_the_master_day_and_time",
        steps=(
            Step(
                say(
                    en=[
                        "a haircut with Bari tomorrow at 2pm",
                        "haircut tmrw 14:00 with bari",
                        "can I get a haircut with Bari tomorrow at 2",
                        "book a haircut tomorrow at 2pm, Bari pls",
                    ],
                    ru=[
                        "стрижка к Бари завтра в 14:00",
                        "на стрижку к Бари завтра в 2 дня",
                        "хочу стрижку у Бари завтра в 14",
                        "запишите на стрижку завтра в 14 к Бари",
                    ],
                    pt=[
                        "corte com o Bari amanhã às 14h",
                        "um corte amanha 14:00 com bari",
                        "queria um corte amanhã às 2 da tarde com o Bari",
                        "corte amanhã 14h com o bari pfv",
                    ],
                    es=[
                        "un corte con Bari mañana a las 14:00",
                        "corte de pelo mañana a las 2 de la tarde con Bari",
                        "quiero un corte con Bari mañana a las 14h",
                        "corte mañana 14:00 con bari porfa",
                    ],
                ),
                Check(stage=Stage.ASK_SERVICE, says=(WHICH_ONE,), staff="Bari", day=1, at="14:00"),
            ),
            Step(
                say(
                    en=["yes", "yes please", "yep", "ok"],
                    ru=["да", "да, давайте", "ага", "да пожалуйста"],
                    pt=["sim", "sim, por favor", "isso", "pode ser"],
                    es=["sí", "sí, por favor", "vale", "claro"],
                ),
                Check(
                    stage=Stage.ASK_SERVICE,
                    says=(WHICH_ONE,),
                    not_says=(WHICH_SERVICE,),
                    staff="Bari",
                    day=1,
                    at="14:00",
                ),
            ),
            Step(
                say(
                    en=["men's", "the men's one", "mens", "men's haircut"],
                    ru=["мужская", "мужскую", "мужская стрижка", "мужскую пожалуйста"],
                    pt=["masculino", "o masculino", "corte masculino", "masculino pfv"],
                    es=["de caballero", "caballero", "corte de caballero", "el de hombre"],
                ),
                confirm("Men's haircut", 1, "14:00", "Bari"),
            ),
            yes_books(Appointment("Men's haircut", "Bari", 1, "14:00")),
        ),
    ),
    Scenario(
        name="yes_to_which_haircut_keeps_the_day_and_the_evening",
        steps=(
            Step(
                say(
                    en=[
                        "haircut on Monday evening",
                        "a haircut monday evening?",
                        "can I book a haircut for Monday in the evening",
                        "monday evening pls, haircut",
                    ],
                    ru=[
                        "стрижка в понедельник вечером",
                        "на стрижку в понедельник вечером",
                        "можно подстричься в понедельник вечером?",
                        "стрижку на понедельник вечером",
                    ],
                    pt=[
                        "corte na segunda-feira à noite",
                        "um corte segunda à noite?",
                        "queria marcar um corte pra segunda-feira de noite",
                        "segunda-feira à noite pfv, corte",
                    ],
                    es=[
                        "un corte el lunes a partir de las 5 de la tarde",
                        "¿corte el lunes después de las 17h?",
                        "quiero reservar un corte el lunes a última hora de la tarde",
                        "el lunes después de las 5 porfa, un corte",
                    ],
                ),
                Check(stage=Stage.ASK_SERVICE, says=(WHICH_ONE,), day=3),
            ),
            Step(
                say(
                    en=["yes", "yeah", "sure", "yes pls"],
                    ru=["да", "ага", "да, конечно", "угу"],
                    pt=["sim", "isso", "claro", "sim pfv"],
                    es=["sí", "claro", "vale", "sí porfa"],
                ),
                Check(stage=Stage.ASK_SERVICE, says=(WHICH_ONE,), not_says=(WHICH_SERVICE,), day=3),
            ),
            Step(
                say(
                    en=["women's", "the women's one", "womens haircut", "a women's cut"],
                    ru=["женская", "женскую", "женская стрижка", "женскую пожалуйста"],
                    pt=["feminino", "o feminino", "corte feminino", "feminino pfv"],
                    es=["de señora", "señora", "corte de mujer", "el de mujer"],
                ),
                offers("Women's haircut", 3, after="16:59"),
            ),
            Step(
                say(
                    en=["6pm", "18:00", "6 pm please", "at 6"],
                    ru=["в 18:00", "18.00", "в 6 вечера", "давайте в шесть"],
                    pt=["às 18h", "18:00", "6 da tarde", "pode ser 18h"],
                    es=["a las 18:00", "18h", "a las 6 de la tarde", "las 6"],
                ),
                confirm("Women's haircut", 3, "18:00"),
            ),
            yes_books(Appointment("Women's haircut", ANY, 3, "18:00")),
        ),
    ),
    Scenario(
        name="yes_to_several_offered_times_asks_which_one_and_keeps_the_offer",
        steps=(
            Step(
                say(
                    en=[
                        "manicure on Wednesday",
                        "nails wednesday pls",
                        "can I book a manicure for Wednesday",
                        "wednesday manicure?",
                    ],
                    ru=["маникюр в среду", "на маникюр в среду", "можно в среду на маникюр?", "маникюр на среду"],
                    pt=[
                        "manicure na quarta",
                        "unhas quarta pfv",
                        "queria marcar manicure pra quarta-feira",
                        "quarta-feira manicure?",
                    ],
                    es=[
                        "manicura el miércoles",
                        "uñas el miércoles porfa",
                        "quiero reservar manicura para el miércoles",
                        "¿manicura el miércoles?",
                    ],
                ),
                offers("Manicure", 5),
            ),
            Step(
                say(
                    en=["yes", "ok", "sure", "yes please"],
                    ru=["да", "ок", "давайте", "да, хорошо"],
                    pt=["sim", "ok", "pode ser", "sim, por favor"],
                    es=["sí", "ok", "vale", "sí, por favor"],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), not_says=(BOOK_Q, BOOKED), service="Manicure", day=5
                ),
            ),
            Step(
                say(
                    en=["the first one", "1", "first", "the first time pls"],
                    ru=["первое", "1", "давайте первое", "первый"],
                    pt=["a primeira", "1", "o primeiro", "pode ser o primeiro"],
                    es=["la primera", "1", "el primero", "la primera opción"],
                ),
                confirm("Manicure", 5, "10:00"),  # the day is free: its first time is the opening hour
            ),
            yes_books(Appointment("Manicure", ANY, 5, "10:00")),
        ),
    ),
]

SCENARIOS = [*ORDERS, *CORRECTIONS, *A_YES_TO_A_CHOICE]
