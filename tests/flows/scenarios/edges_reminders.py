"""The edges of a booking and the replies to a reminder: taken times, closed days, past days and past times today,
"any other time?", several appointments of one customer on one day, a reminder answered with a yes, a move or a
cancel, and a message the bot cannot read one way only, answered through the clarifying question.

"Now" is Friday 2026-11-27 12:00 in Moscow: day 0 is today, 1 Saturday, 2 Sunday, 3 Monday, 4 Tuesday, 6 Thursday.
"""

from __future__ import annotations

from booking_bot.domain import Stage
from tests.flows.scenarios.framework import ANY, Appointment, Check, Scenario, Step, say

NOT_FREE = "{time} {on_day} is not free."
WHICH_TIME = "Which time suits you?"
WHICH_DAY = "Which day would suit you?"
BOOK_Q = "Shall I book this?\n{details}"
BOOKED = "Done! You are booked: {booking}."
MOVE_Q = "Shall I move your appointment to this time?\n{details}"
MOVED = "Done! Your appointment is moved: {booking}."
CANCEL_Q = "Shall I cancel this appointment?\n{booking}"
CANCELLED = "Done, your appointment is cancelled: {booking}."
NOTHING_FREE = "Nothing is free {on_day}. The nearest free day is {other}."
DAY_PASSED = "That day has already passed."
TIME_PASSED = "That time has already passed today."
WHICH_TO_MOVE = "Which appointment would you like to move?"
WHICH_TO_CANCEL = "Which appointment would you like to cancel?"
VISIT_CONFIRMED = "Thank you! Your visit is confirmed: {booking}."
CLARIFY = "Just to be sure: do you want to {first} or to {second}?"
PRICE_LINE = "{service}: {price} ({minutes} min)"

# The answers that recur: a yes to "Shall I book / move / cancel?", a time picked from an offer.
YES_BOOK = say(
    en=["yes", "yes please 👍", "ok go ahead", "sure"],
    ru=["да", "да, давайте", "ок 👍", "подтверждаю"],
    pt=["sim", "pode sim", "ok 👍", "fechado"],
    es=["sí", "sí, por favor", "vale 👍", "de acuerdo"],
)
YES_MOVE = say(
    en=["yes", "yes move it", "perfect", "ok 👍"],
    ru=["да", "да, переносите", "отлично", "ок 👍"],
    pt=["sim", "sim, pode remarcar", "perfeito", "ok 👍"],
    es=["sí", "sí, cámbiala", "perfecto", "ok 👍"],
)
YES_CANCEL = say(
    en=["yes", "yes, cancel it", "yep", "ok"],
    ru=["да", "да, отменяйте", "ага", "ок"],
    pt=["sim", "sim, pode cancelar", "isso", "ok"],
    es=["sí", "sí, cancélala", "vale", "ok"],
)
AT_4PM = say(
    en=["4pm then", "ok 16:00", "let's say 4 o'clock", "16:00 is fine"],
    ru=["тогда в 16:00", "давайте в 4 часа дня", "ок, в 16", "16.00 подойдёт"],
    pt=["então às 16h", "pode ser 16:00", "às 4 da tarde então", "16h tá ótimo"],
    es=["entonces a las 16:00", "a las 4 de la tarde", "vale, 16h", "mejor a las 16"],
)
OTHER_TIMES = say(
    en=["any other times?", "do you have something else?", "none of those work, what else is there", "other times pls"],
    ru=["а другое время есть?", "есть ещё варианты?", "это всё не подходит, что ещё есть?", "другое время можно?"],
    pt=["tem outro horário?", "tem mais algum horário?", "nenhum desses dá, tem outros?", "outros horários?"],
    es=["¿hay otra hora?", "¿tienes otros horarios?", "ninguna me va bien, ¿qué más hay?", "¿otras horas?"],
)
MANICURE_TOMORROW_3PM = say(
    en=[
        "manicure tomorrow at 3pm",
        "can i get my nails done tmrw at 15:00?",
        "I'd like a manicure tomorrow 3 pm, any master is fine",
        "manicure saturday 3pm pls 💅",
    ],
    ru=[
        "маникюр завтра в 15:00",
        "можно на маникюр завтра в 3 часа дня? мастер любой",
        "запишите на маникюр в субботу в 15",
        "хочу маникюр на завтра в 15.00",
    ],
    pt=[
        "manicure amanhã às 15h",
        "quero fazer as unhas amanhã às 3 da tarde",
        "dá pra marcar manicure sábado 15:00? qualquer profissional",
        "manicure amanha 15h pfv",
    ],
    es=[
        "manicura mañana a las 15:00",
        "quiero hacerme las uñas mañana a las 3 de la tarde",
        "¿hay hueco para manicura el sábado a las 15h? me da igual con quién",
        "manicura mañana 15h porfa",
    ],
)
# "My manicure on Monday at 5pm" from a customer who has a manicure on Sunday: move that one, or book another?
MY_MANICURE_ON_MONDAY = say(
    en=[
        "can I have my manicure on Monday at 5pm?",
        "my manicure on monday at 17:00?",
        "monday 5pm for my manicure?",
        "could I do my manicure on Monday at 5 pm?",
    ],
    ru=[
        "можно мой маникюр в понедельник в 17:00?",
        "маникюр мой на понедельник в 17?",
        "а мой маникюр в понедельник в 5 вечера можно?",
        "мой маникюр в пн в 17.00?",
    ],
    pt=[
        "dá pra fazer minha manicure na segunda às 17h?",
        "minha manicure segunda 17:00?",
        "segunda às 5 da tarde pra minha manicure?",
        "posso fazer minha manicure na segunda às 17h?",
    ],
    es=[
        "¿puedo hacer mi manicura el lunes a las 17:00?",
        "¿mi manicura el lunes a las 5 de la tarde?",
        "lunes 17h para mi manicura?",
        "¿me haces mi manicura el lunes a las 17h?",
    ],
)

# The customer's appointments the scenarios start from (and check are still there, or moved).
SUNDAY_MANICURE = Appointment("Manicure", "Olga", 2, "16:00")
SUNDAY_NOON_MANICURE = Appointment("Manicure", "Olga", 2, "12:00")
SATURDAY_NOON_MANICURE = Appointment("Manicure", "Olga", 1, "12:00")
REMINDED_MANICURE = Appointment("Manicure", "Olga", 1, "11:00")  # tomorrow 11:00, its reminder just sent
SUNDAY_TWO = (Appointment("Men's haircut", "Anna", 2, "14:00"), SUNDAY_MANICURE)
ALL_STAFF = ("Anna", "Bari", "Olga")

TAKEN = [
    Scenario(
        name="taken_time_with_the_named_master_says_not_free_and_offers_her_nearest_times",
        taken=(Appointment("Men's haircut", "Anna", 1, "15:00"),),
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut with Anna tomorrow at 3pm",
                        "can I book a mens haircut w anna tmrw 15:00?",
                        "Hi! Men's cut with Anna tomorrow at 3 in the afternoon please",
                        "anna tomorrow 3pm mens haircut 🙏",
                    ],
                    ru=[
                        "мужская стрижка к Анне завтра в 15:00",
                        "можно к Ане на мужскую стрижку завтра в 3 часа дня?",
                        "запишите на мужскую стрижку к Анне на завтра в 15",
                        "здравствуйте, мужская стрижка завтра в 15.00 у Анны",
                    ],
                    pt=[
                        "corte masculino com a Anna amanhã às 15h",
                        "dá pra marcar corte masculino com Anna amanhã 15:00?",
                        "oi! queria um corte masculino amanhã às 3 da tarde com a Anna",
                        "amanha 15h corte masculino c/ anna",
                    ],
                    es=[
                        "corte de caballero con Anna mañana a las 15:00",
                        "¿me reservas un corte de hombre con Anna mañana a las 3 de la tarde?",
                        "hola, corte de caballero mañana 15h con anna porfa",
                        "mañana a las 15 corte de caballero con Anna",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(NOT_FREE, WHICH_TIME),
                    service="Men's haircut",
                    staff="Anna",
                    day=1,
                    booked=(),
                ),
            ),
            Step(
                say(
                    en=["ok 15:30 then", "3:30pm works", "let's do 15:30", "half past 3 pls"],
                    ru=["тогда в 15:30", "давайте в 15:30", "ок, 15.30", "давайте в половине четвёртого"],
                    pt=["então 15:30", "pode ser 15h30", "às 15:30 tá bom", "3 e meia da tarde"],
                    es=["pues a las 15:30", "a las 3 y media entonces", "vale, 15:30", "mejor 15:30"],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", staff="Anna", day=1, at="15:30"
                ),
            ),
            Step(
                YES_BOOK,
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Men's haircut", "Anna", 1, "15:30"),)),
            ),
        ),
    ),
    Scenario(
        name="time_taken_by_two_masters_is_booked_with_the_third_who_is_free",
        taken=(Appointment("Manicure", "Anna", 1, "15:00"), Appointment("Manicure", "Olga", 1, "15:00")),
        steps=(
            Step(
                MANICURE_TOMORROW_3PM,
                Check(
                    stage=Stage.CONFIRM_BOOK,
                    says=(BOOK_Q,),
                    not_says=(NOT_FREE,),
                    service="Manicure",
                    staff="Bari",
                    day=1,
                    at="15:00",
                ),
            ),
            Step(
                YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", "Bari", 1, "15:00"),))
            ),
        ),
    ),
    Scenario(
        name="time_taken_by_every_master_offers_the_nearest_free_times_of_that_day",
        taken=tuple(Appointment("Women's haircut", member, 1, "14:00") for member in ALL_STAFF),
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut tomorrow at 2pm",
                        "can I book a women's cut for tomorrow 14:00?",
                        "ladies' haircut tomorrow at 2 in the afternoon please",
                        "womens haircut tmrw 2pm",
                    ],
                    ru=[
                        "женская стрижка завтра в 14:00",
                        "можно записаться на женскую стрижку завтра в 2 часа дня?",
                        "на завтра в 14 женскую стрижку пожалуйста",
                        "женская стрижка в субботу в 14.00",
                    ],
                    pt=[
                        "corte feminino amanhã às 14h",
                        "queria marcar um corte feminino amanhã às 2 da tarde",
                        "corte feminino sábado 14:00, pode ser?",
                        "amanhã 14h corte feminino pfv",
                    ],
                    es=[
                        "corte de señora mañana a las 14:00",
                        "quiero un corte de mujer mañana a las 2 de la tarde",
                        "¿tenéis hueco mañana a las 14h para corte de señora?",
                        "corte de mujer el sábado a las 14",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT, says=(NOT_FREE, WHICH_TIME), service="Women's haircut", day=1, booked=()
                ),
            ),
            Step(AT_4PM, Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Women's haircut", day=1, at="16:00")),
            Step(
                YES_BOOK,
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Women's haircut", ANY, 1, "16:00"),)),
            ),
        ),
    ),
    Scenario(
        name="move_to_a_time_every_master_has_taken_says_not_free_and_keeps_the_appointment",
        given=(SUNDAY_NOON_MANICURE,),
        taken=tuple(Appointment("Manicure", member, 3, "15:00") for member in ALL_STAFF),
        steps=(
            Step(
                say(
                    en=[
                        "can I move my manicure to Monday at 3pm?",
                        "need to reschedule my nails to monday 15:00",
                        "could we move my manicure to Monday, 3 in the afternoon?",
                        "pls move manicure to mon 3pm",
                    ],
                    ru=[
                        "можно перенести маникюр на понедельник на 15:00?",
                        "перенесите мой маникюр на понедельник в 3 часа дня",
                        "хочу перенести маникюр на пн в 15",
                        "а можно маникюр перенести на понедельник в 15.00?",
                    ],
                    pt=[
                        "posso remarcar minha manicure para segunda às 15h?",
                        "queria mudar a manicure pra segunda 15:00",
                        "dá pra passar minha manicure pra segunda às 3 da tarde?",
                        "remarca a manicure pra segunda 15h pfv",
                    ],
                    es=[
                        "¿puedo cambiar mi manicura al lunes a las 15:00?",
                        "quiero mover la manicura al lunes a las 3 de la tarde",
                        "¿se puede pasar mi manicura al lunes a las 15h?",
                        "cambia la manicura al lunes 15h porfa",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(NOT_FREE, WHICH_TIME),
                    service="Manicure",
                    day=3,
                    booked=(SUNDAY_NOON_MANICURE,),
                ),
            ),
            Step(AT_4PM, Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=3, at="16:00")),
            Step(YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", ANY, 3, "16:00"),))),
        ),
    ),
]

OTHER_TIME = [
    Scenario(
        name="any_other_time_while_choosing_offers_other_free_times_of_that_day",
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow",
                        "can i book nails for tmrw?",
                        "I'd like a manicure tomorrow please",
                        "manicure on saturday?",
                    ],
                    ru=[
                        "маникюр на завтра",
                        "можно на маникюр завтра?",
                        "хочу записаться на маникюр в субботу",
                        "завтра маникюр можно",
                    ],
                    pt=[
                        "manicure amanhã",
                        "queria fazer as unhas amanhã",
                        "tem manicure pra sábado?",
                        "manicure amanha pfv",
                    ],
                    es=[
                        "manicura mañana",
                        "¿tienes hueco para manicura mañana?",
                        "quiero hacerme las uñas el sábado",
                        "manicura para mañana porfa",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1),
            ),
            Step(OTHER_TIMES, Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1, booked=())),
            Step(
                say(
                    en=["6:30pm", "18:30 please", "half past six in the evening", "ok 18:30"],
                    ru=["в 18:30", "давайте 18.30", "в половине седьмого вечера", "ок, 18:30"],
                    pt=["18h30", "às 18:30 por favor", "6 e meia da tarde", "pode ser 18:30"],
                    es=["a las 18:30", "18:30 porfa", "a las 6 y media de la tarde", "vale, 18:30"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="18:30"),
            ),
            Step(YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 1, "18:30"),))),
        ),
    ),
    Scenario(
        name="any_other_time_at_the_confirmation_offers_other_times_instead_of_booking",
        steps=(
            Step(
                MANICURE_TOMORROW_3PM,
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="15:00"),
            ),
            Step(
                OTHER_TIMES,
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(WHICH_TIME,),
                    not_says=(BOOKED,),
                    service="Manicure",
                    day=1,
                    booked=(),
                ),
            ),
            Step(
                say(
                    en=["5:30pm", "17:30 then", "half past five", "ok 17:30"],
                    ru=["в 17:30", "тогда 17.30", "в половине шестого вечера", "ок, 17:30"],
                    pt=["17h30", "então às 17:30", "5 e meia da tarde", "pode ser 17:30"],
                    es=["a las 17:30", "entonces 17:30", "a las 5 y media de la tarde", "vale, 17:30"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="17:30"),
            ),
            Step(YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 1, "17:30"),))),
        ),
    ),
]

CLOSED = [
    Scenario(
        name="closed_day_says_nothing_is_free_and_offers_the_nearest_open_day",
        closed_weekdays=(6,),
        steps=(
            Step(
                say(
                    en=[
                        "manicure on sunday",
                        "can I book a manicure this Sunday?",
                        "nails on sunday pls",
                        "do you have anything for a manicure on Sunday?",
                    ],
                    ru=[
                        "маникюр в воскресенье",
                        "можно записаться на маникюр в воскресенье?",
                        "запишите на маникюр на воскресенье",
                        "есть окошко на маникюр в вс?",
                    ],
                    pt=[
                        "manicure no domingo",
                        "dá pra marcar manicure domingo?",
                        "quero fazer as unhas no domingo",
                        "tem horário de manicure no domingo?",
                    ],
                    es=[
                        "manicura el domingo",
                        "¿puedo reservar manicura este domingo?",
                        "quiero hacerme las uñas el domingo",
                        "¿hay hueco para manicura el domingo?",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(NOTHING_FREE, WHICH_TIME), service="Manicure", day=3),
            ),
            Step(
                say(
                    en=["12:00 please", "noon", "at 12", "12pm works"],
                    ru=["в 12:00", "давайте в 12", "в полдень", "12.00 подойдёт"],
                    pt=["ao meio-dia", "às 12h", "pode ser 12:00", "12h por favor"],
                    es=["a las 12:00", "a mediodía", "a las 12 porfa", "12h vale"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=3, at="12:00"),
            ),
            Step(YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 3, "12:00"),))),
        ),
    ),
    Scenario(
        name="closed_weekend_asked_for_tomorrow_at_a_time_offers_monday_and_books_it",
        closed_weekdays=(5, 6),
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut tomorrow at 11am",
                        "mens haircut tmrw 11:00?",
                        "can I come for a men's cut tomorrow at 11 in the morning?",
                        "haircut for men tomorrow 11am pls",
                    ],
                    ru=[
                        "мужская стрижка завтра в 11:00",
                        "можно завтра в 11 утра на мужскую стрижку?",
                        "запишите на мужскую стрижку завтра в 11",
                        "мужскую стрижку на завтра в 11.00 можно?",
                    ],
                    pt=[
                        "corte masculino amanhã às 11h",
                        "queria um corte masculino amanhã às 11 da manhã",
                        "corte masculino amanha 11h pfv",
                        "tem corte masculino amanhã às 11:00?",
                    ],
                    es=[
                        "corte de caballero mañana a las 11:00",
                        "¿puedo ir mañana a las 11 de la mañana a un corte de hombre?",
                        "corte de caballero mañana 11h porfa",
                        "¿me reservas corte de hombre para mañana a las 11?",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT, says=(NOTHING_FREE, WHICH_TIME), service="Men's haircut", day=3, booked=()
                ),
            ),
            Step(
                say(
                    en=["monday at 11 is fine", "ok 11:00 on monday", "11am monday then", "then monday 11 o'clock"],
                    ru=[
                        "в понедельник в 11 подойдёт",
                        "ок, понедельник 11:00",
                        "тогда в пн в 11",
                        "давайте в понедельник в 11 утра",
                    ],
                    pt=[
                        "segunda às 11h pode ser",
                        "ok, segunda 11:00",
                        "então segunda às 11",
                        "pode ser segunda 11 da manhã",
                    ],
                    es=[
                        "el lunes a las 11 me va bien",
                        "vale, lunes 11:00",
                        "entonces el lunes a las 11",
                        "lunes a las 11 de la mañana",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", day=3, at="11:00"),
            ),
            Step(
                YES_BOOK,
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Men's haircut", ANY, 3, "11:00"),)),
            ),
        ),
    ),
    Scenario(
        name="move_to_a_closed_day_offers_the_nearest_open_day_and_moves_that_appointment",
        closed_weekdays=(6,),
        given=(SATURDAY_NOON_MANICURE,),
        steps=(
            Step(
                say(
                    en=[
                        "can I move my manicure to sunday?",
                        "need to reschedule my nails to Sunday",
                        "could you move my manicure to Sunday please",
                        "move manicure to sun pls",
                    ],
                    ru=[
                        "можно перенести маникюр на воскресенье?",
                        "перенесите мой маникюр на воскресенье",
                        "хочу перенести маникюр на вс",
                        "а маникюр можно на воскресенье перенести?",
                    ],
                    pt=[
                        "posso remarcar minha manicure pro domingo?",
                        "queria mudar a manicure pra domingo",
                        "dá pra passar a manicure pra domingo?",
                        "remarca minha manicure pra domingo pfv",
                    ],
                    es=[
                        "¿puedo cambiar mi manicura al domingo?",
                        "quiero mover la manicura al domingo",
                        "¿se puede pasar la manicura al domingo?",
                        "cámbiame la manicura al domingo porfa",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(NOTHING_FREE, WHICH_TIME),
                    service="Manicure",
                    day=3,
                    booked=(SATURDAY_NOON_MANICURE,),
                ),
            ),
            Step(
                say(
                    en=["1pm", "13:00 please", "at 1 in the afternoon", "ok 13:00"],
                    ru=["в 13:00", "давайте в час дня", "в 13", "13.00 пожалуйста"],
                    pt=["às 13h", "13:00 por favor", "à 1 da tarde", "pode ser 13h"],
                    es=["a las 13:00", "a la 1 de la tarde", "13h porfa", "vale, a las 13"],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=3, at="13:00"),
            ),
            Step(YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", ANY, 3, "13:00"),))),
        ),
    ),
]

PAST = [
    Scenario(
        name="past_day_says_it_has_passed_and_asks_for_another_day_keeping_the_service",
        steps=(
            Step(
                say(
                    en=[
                        "manicure on November 20",
                        "can I book a manicure for the 20th of November?",
                        "nails 20/11/2026 pls",
                        "manicure on Nov 20th",
                    ],
                    ru=[
                        "маникюр на 20 ноября",
                        "можно на маникюр 20 ноября?",
                        "запишите на маникюр 20.11.2026",
                        "маникюр двадцатого ноября",
                    ],
                    pt=[
                        "manicure dia 20 de novembro",
                        "quero marcar manicure pro dia 20/11/2026",
                        "dá pra fazer as unhas em 20 de novembro?",
                        "manicure 20 de novembro pfv",
                    ],
                    es=[
                        "manicura el 20 de noviembre",
                        "¿puedo reservar manicura para el 20 de noviembre?",
                        "manicura el 20/11/2026 porfa",
                        "quiero hacerme las uñas el día 20 de noviembre",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, says=(DAY_PASSED, WHICH_DAY), service="Manicure", booked=()),
            ),
            Step(
                say(
                    en=["oops, tomorrow then", "sorry I meant tomorrow", "tomorrow", "ok saturday"],
                    ru=["ой, тогда завтра", "извините, завтра", "завтра", "тогда в субботу"],
                    pt=["ops, então amanhã", "desculpa, amanhã", "amanhã", "então sábado"],
                    es=["uy, pues mañana", "perdón, mañana", "mañana", "entonces el sábado"],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1),
            ),
        ),
    ),
    Scenario(
        name="past_time_today_says_it_has_passed_and_offers_only_later_times_today",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut today at 10am",
                        "mens haircut today 10:00?",
                        "can I get a men's cut today at 10 in the morning",
                        "haircut for men today 10am pls",
                    ],
                    ru=[
                        "мужская стрижка сегодня в 10:00",
                        "можно сегодня в 10 утра на мужскую стрижку?",
                        "запишите на мужскую стрижку сегодня в 10",
                        "мужскую стрижку на сегодня в 10.00",
                    ],
                    pt=[
                        "corte masculino hoje às 10h",
                        "dá pra fazer corte masculino hoje 10:00?",
                        "queria um corte masculino hoje às 10 da manhã",
                        "corte masculino hj 10h pfv",
                    ],
                    es=[
                        "corte de caballero hoy a las 10:00",
                        "¿puedo hacerme un corte de hombre hoy a las 10 de la mañana?",
                        "corte de caballero hoy 10h porfa",
                        "¿hay corte de caballero hoy a las 10?",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(TIME_PASSED, WHICH_TIME),
                    service="Men's haircut",
                    day=0,
                    offers_after="12:00",
                    booked=(),
                ),
            ),
            Step(
                say(
                    en=["2pm then", "ok 14:00", "let's do 2 o'clock", "14:00 is fine"],
                    ru=["тогда в 14:00", "давайте в 2 часа дня", "ок, в 14", "14.00 подойдёт"],
                    pt=["então às 14h", "pode ser 14:00", "às 2 da tarde então", "14h tá ótimo"],
                    es=["entonces a las 14:00", "a las 2 de la tarde", "vale, 14h", "mejor a las 14"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", day=0, at="14:00"),
            ),
            Step(
                YES_BOOK,
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Men's haircut", ANY, 0, "14:00"),)),
            ),
        ),
    ),
    Scenario(
        name="move_to_a_past_time_today_says_it_has_passed_and_keeps_the_appointment",
        given=(SUNDAY_NOON_MANICURE,),
        steps=(
            Step(
                say(
                    en=[
                        "can you move my manicure to today at 11am?",
                        "reschedule my nails to today 11:00",
                        "could I come today at 11 in the morning instead for my manicure?",
                        "move manicure to today 11am pls",
                    ],
                    ru=[
                        "перенесите маникюр на сегодня на 11:00",
                        "можно маникюр перенести на сегодня в 11 утра?",
                        "хочу перенести маникюр на сегодня в 11",
                        "маникюр можно сегодня в 11.00 вместо воскресенья?",
                    ],
                    pt=[
                        "pode remarcar minha manicure pra hoje às 11h?",
                        "queria mudar a manicure pra hoje 11:00",
                        "dá pra passar a manicure pra hoje às 11 da manhã?",
                        "remarca manicure pra hj 11h pfv",
                    ],
                    es=[
                        "¿puedes cambiar mi manicura a hoy a las 11:00?",
                        "quiero mover la manicura a hoy a las 11 de la mañana",
                        "¿se puede pasar la manicura a hoy a las 11h?",
                        "cámbiame la manicura a hoy 11h porfa",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(TIME_PASSED, WHICH_TIME),
                    service="Manicure",
                    day=0,
                    offers_after="12:00",
                    booked=(SUNDAY_NOON_MANICURE,),
                ),
            ),
            Step(AT_4PM, Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=0, at="16:00")),
            Step(YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", ANY, 0, "16:00"),))),
        ),
    ),
    Scenario(
        name="move_to_a_past_day_says_it_has_passed_and_asks_for_the_new_day",
        given=(Appointment("Women's haircut", "Anna", 1, "16:00"),),
        steps=(
            Step(
                say(
                    en=[
                        "can I move my haircut to November 25?",
                        "reschedule my appointment to the 25th of November pls",
                        "move my haircut to 25/11/2026",
                        "I need to change my appointment to Nov 25",
                    ],
                    ru=[
                        "перенесите мою стрижку на 25 ноября",
                        "можно перенести запись на 25.11.2026?",
                        "хочу перенести стрижку на двадцать пятое ноября",
                        "перенос записи на 25 ноября пожалуйста",
                    ],
                    pt=[
                        "posso remarcar meu corte pro dia 25 de novembro?",
                        "queria mudar meu horário pra 25/11/2026",
                        "remarca meu corte pra 25 de novembro pfv",
                        "dá pra passar meu horário pro dia 25 de novembro?",
                    ],
                    es=[
                        "¿puedo cambiar mi corte al 25 de noviembre?",
                        "quiero mover mi cita al 25/11/2026",
                        "cámbiame la cita al 25 de noviembre porfa",
                        "¿se puede pasar mi corte al día 25 de noviembre?",
                    ],
                ),
                Check(
                    stage=Stage.ASK_DATE,
                    says=(DAY_PASSED,),
                    booked=(Appointment("Women's haircut", "Anna", 1, "16:00"),),
                ),
            ),
            Step(
                say(
                    en=["tuesday at 4pm then", "ok tuesday 16:00", "sorry, I meant Tuesday at 4", "Tue 4pm"],
                    ru=[
                        "тогда во вторник в 16:00",
                        "ой, во вторник в 4 часа дня",
                        "вторник 16.00",
                        "давайте во вторник в 16",
                    ],
                    pt=["então terça às 16h", "desculpa, terça às 4 da tarde", "terça 16:00", "pode ser terça 16h"],
                    es=[
                        "entonces el martes a las 16:00",
                        "perdón, el martes a las 4 de la tarde",
                        "martes 16:00",
                        "vale, martes a las 16",
                    ],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Women's haircut", day=4, at="16:00"),
            ),
            Step(
                YES_MOVE,
                Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Women's haircut", ANY, 4, "16:00"),)),
            ),
        ),
    ),
]

SEVERAL = [
    Scenario(
        name="two_appointments_on_sunday_move_asks_which_and_the_manicure_is_moved",
        given=SUNDAY_TWO,
        steps=(
            Step(
                say(
                    en=[
                        "I need to move my Sunday appointment to 6pm",
                        "can you move my appointment on sunday to 18:00?",
                        "could we push my sunday booking to 6 in the evening?",
                        "reschedule sunday to 6pm pls",
                    ],
                    ru=[
                        "нужно перенести мою запись в воскресенье на 18:00",
                        "можно перенести воскресную запись на 6 вечера?",
                        "перенесите запись на воскресенье на 18",
                        "хочу перенести запись в вс на 18.00",
                    ],
                    pt=[
                        "preciso remarcar meu horário de domingo pras 18h",
                        "dá pra mudar meu agendamento de domingo pra 18:00?",
                        "queria passar o horário de domingo pras 6 da tarde",
                        "remarca domingo pras 18h pfv",
                    ],
                    es=[
                        "necesito cambiar mi cita del domingo a las 18:00",
                        "¿puedes mover mi cita del domingo a las 6 de la tarde?",
                        "quiero pasar la cita del domingo a las 18h",
                        "cambia lo del domingo a las 18 porfa",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,), booked=SUNDAY_TWO),
            ),
            Step(
                say(
                    en=["the manicure", "manicure", "the nails one", "the manicure one pls"],
                    ru=["маникюр", "ту, что на маникюр", "запись на маникюр", "маникюр переносим"],
                    pt=["a manicure", "a de manicure", "manicure", "o horário da manicure"],
                    es=["la manicura", "la de manicura", "manicura", "la cita de uñas"],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=2, at="18:00"),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.IDLE, says=(MOVED,), booked=(SUNDAY_TWO[0], Appointment("Manicure", ANY, 2, "18:00"))
                ),
            ),
        ),
    ),
    Scenario(
        name="two_appointments_on_sunday_cancel_asks_which_and_the_second_is_cancelled",
        given=SUNDAY_TWO,
        steps=(
            Step(
                say(
                    en=[
                        "cancel my appointment on sunday",
                        "I can't make it on Sunday, please cancel",
                        "pls cancel my sunday booking",
                        "could you cancel Sunday for me?",
                    ],
                    ru=[
                        "отмените мою запись в воскресенье",
                        "в воскресенье не смогу, отмените пожалуйста",
                        "отмена записи на воскресенье",
                        "можно отменить воскресную запись?",
                    ],
                    pt=[
                        "cancela meu horário de domingo",
                        "não vou poder ir domingo, pode cancelar?",
                        "quero cancelar o agendamento de domingo",
                        "cancelar domingo pfv",
                    ],
                    es=[
                        "cancela mi cita del domingo",
                        "el domingo no puedo, cancélala por favor",
                        "quiero anular la cita del domingo",
                        "¿me cancelas lo del domingo?",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_CANCEL,), booked=SUNDAY_TWO),
            ),
            Step(
                say(
                    en=["the second one", "2", "second", "the 2nd pls"],
                    ru=["вторую", "2", "вторая", "давайте вторую"],
                    pt=["a segunda", "2", "o segundo", "a segunda opção"],
                    es=["la segunda", "2", "el segundo", "la segunda opción"],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), booked=SUNDAY_TWO),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(SUNDAY_TWO[0],))),
        ),
    ),
    Scenario(
        name="two_appointments_on_sunday_cancel_naming_the_time_goes_straight_to_that_one",
        given=SUNDAY_TWO,
        steps=(
            Step(
                say(
                    en=[
                        "please cancel my 4pm on Sunday",
                        "cancel the sunday 16:00 appointment",
                        "I need to cancel Sunday at 4 o'clock",
                        "cancel sun 4pm pls",
                    ],
                    ru=[
                        "отмените мою запись в воскресенье в 16:00",
                        "отмена на воскресенье в 4 часа дня",
                        "нужно отменить запись в вс на 16",
                        "пожалуйста, отмените воскресенье 16.00",
                    ],
                    pt=[
                        "cancela meu horário de domingo às 16h",
                        "quero cancelar o de domingo 16:00",
                        "preciso cancelar domingo às 4 da tarde",
                        "cancelar domingo 16h pfv",
                    ],
                    es=[
                        "cancela mi cita del domingo a las 16:00",
                        "quiero anular la del domingo a las 4 de la tarde",
                        "necesito cancelar el domingo a las 16h",
                        "cancela lo del domingo 16h porfa",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), not_says=(WHICH_TO_CANCEL,), booked=SUNDAY_TWO),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(SUNDAY_TWO[0],))),
        ),
    ),
    Scenario(
        name="two_appointments_on_sunday_move_naming_the_master_moves_hers",
        given=SUNDAY_TWO,
        steps=(
            Step(
                say(
                    en=[
                        "move my appointment with Olga on Sunday to 6pm",
                        "can my Sunday slot with olga be moved to 18:00?",
                        "please reschedule Olga on sunday to 6 in the evening",
                        "pls move the olga one on sunday to 6pm",
                    ],
                    ru=[
                        "перенесите мою запись к Ольге в воскресенье на 18:00",
                        "можно запись к Оле в воскресенье перенести на 6 вечера?",
                        "у Ольги в вс перенесите на 18",
                        "хочу перенести запись к Ольге в воскресенье на 18.00",
                    ],
                    pt=[
                        "remarca meu horário com a Olga no domingo pras 18h",
                        "dá pra mudar o horário com a Olga de domingo pras 18:00?",
                        "queria passar o horário da Olga de domingo pras 6 da tarde",
                        "muda o horário da Olga de domingo pras 18h pfv",
                    ],
                    es=[
                        "cambia mi cita con Olga del domingo a las 18:00",
                        "¿puedes mover la cita con Olga del domingo a las 6 de la tarde?",
                        "quiero pasar lo de Olga del domingo a las 18h",
                        "mueve lo de Olga del domingo a las 18h porfa",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(WHICH_TO_MOVE,),
                    service="Manicure",
                    staff="Olga",
                    day=2,
                    at="18:00",
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.IDLE, says=(MOVED,), booked=(SUNDAY_TWO[0], Appointment("Manicure", "Olga", 2, "18:00"))
                ),
            ),
        ),
    ),
    Scenario(
        name="two_manicures_move_asks_which_and_the_one_on_sunday_is_moved",
        given=(SUNDAY_MANICURE, Appointment("Manicure", "Anna", 4, "12:00")),
        steps=(
            Step(
                say(
                    en=[
                        "move my manicure to Thursday at 3pm",
                        "can I reschedule my manicure to thursday 15:00?",
                        "need to change my nails appointment to Thursday, 3 in the afternoon",
                        "pls push my manicure to thurs 3pm",
                    ],
                    ru=[
                        "перенесите маникюр на четверг на 15:00",
                        "можно перенести маникюр на четверг в 3 часа дня?",
                        "хочу маникюр перенести на чт в 15",
                        "маникюр на четверг в 15.00 перенесите пожалуйста",
                    ],
                    pt=[
                        "remarca minha manicure pra quinta às 15h",
                        "dá pra mudar a manicure pra quinta 15:00?",
                        "queria passar a manicure pra quinta às 3 da tarde",
                        "troca minha manicure pra quinta 15h pfv",
                    ],
                    es=[
                        "cambia mi manicura al jueves a las 15:00",
                        "¿puedo mover la manicura al jueves a las 3 de la tarde?",
                        "quiero pasar la manicura al jueves a las 15h",
                        "pásame la manicura al jueves 15h porfa",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,)),
            ),
            Step(
                say(
                    en=["the one on sunday", "sunday's", "the Sunday one", "the one this sunday"],
                    ru=["ту, что в воскресенье", "воскресную", "в воскресенье", "которая в вс"],
                    pt=["a de domingo", "a do domingo", "domingo", "o de domingo"],
                    es=["la del domingo", "la de este domingo", "el domingo", "la que tengo el domingo"],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=6, at="15:00"),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.IDLE,
                    says=(MOVED,),
                    booked=(Appointment("Manicure", ANY, 6, "15:00"), Appointment("Manicure", "Anna", 4, "12:00")),
                ),
            ),
        ),
    ),
]

REMINDERS = [
    Scenario(
        name="ok_to_a_reminder_confirms_that_visit",
        given=(REMINDED_MANICURE,),
        reminded=0,
        steps=(
            Step(
                say(
                    en=["ok 👍", "yes I'll be there", "👍", "yes, see you tomorrow!"],
                    ru=["да", "ок, буду", "👍 буду", "да, приду"],
                    pt=["sim", "ok, estarei lá", "👍 combinado", "confirmado, até amanhã"],
                    es=["sí", "ok, allí estaré", "👍 de acuerdo", "confirmo, nos vemos mañana"],
                ),
                Check(stage=Stage.IDLE, says=(VISIT_CONFIRMED,), booked=(REMINDED_MANICURE,)),
            ),
        ),
    ),
    Scenario(
        name="reminder_answered_move_it_to_tomorrow_at_5_moves_the_reminded_appointment",
        given=(Appointment("Manicure", "Olga", 3, "12:00"), Appointment("Women's haircut", "Anna", 1, "11:00")),
        reminded=1,
        steps=(
            Step(
                say(
                    en=[
                        "can we move it to tomorrow at 5?",
                        "could I come at 5pm tomorrow instead?",
                        "pls move it to tmrw 17:00",
                        "something came up, can we do tomorrow at 5 in the evening instead?",
                    ],
                    ru=[
                        "можно перенести на завтра на 17:00?",
                        "а можно перенести на завтра в 5 вечера?",
                        "перенесите пожалуйста на завтра в 17",
                        "не успеваю утром, можно завтра в 17.00?",
                    ],
                    pt=[
                        "dá pra remarcar pra amanhã às 17h?",
                        "posso ir amanhã às 5 da tarde em vez disso?",
                        "remarca pra amanhã 17:00 pfv",
                        "surgiu um imprevisto, pode ser amanhã às 17h?",
                    ],
                    es=[
                        "¿podemos cambiarla a mañana a las 17:00?",
                        "¿puedo ir mañana a las 5 de la tarde en vez de eso?",
                        "cámbiala a mañana 17h porfa",
                        "me surgió algo, ¿puede ser mañana a las 17h?",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(WHICH_TO_MOVE, VISIT_CONFIRMED),
                    service="Women's haircut",
                    day=1,
                    at="17:00",
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.IDLE,
                    says=(MOVED,),
                    booked=(
                        Appointment("Manicure", "Olga", 3, "12:00"),
                        Appointment("Women's haircut", ANY, 1, "17:00"),
                    ),
                ),
            ),
        ),
    ),
    Scenario(
        name="reminder_answered_cant_come_cancels_the_reminded_appointment_only",
        given=(Appointment("Men's haircut", "Bari", 1, "13:00"), Appointment("Manicure", "Olga", 4, "12:00")),
        reminded=0,
        steps=(
            Step(
                say(
                    en=[
                        "sorry I can't make it",
                        "cancel it please",
                        "i won't be able to come 😔",
                        "something came up, please cancel",
                    ],
                    ru=[
                        "не смогу прийти",
                        "отмените пожалуйста",
                        "к сожалению не получится прийти",
                        "отмена, не успеваю",
                    ],
                    pt=[
                        "não vou conseguir ir",
                        "pode cancelar por favor",
                        "infelizmente não posso ir",
                        "cancela pfv, surgiu um imprevisto",
                    ],
                    es=[
                        "no podré ir",
                        "cancélala por favor",
                        "lo siento, no puedo ir",
                        "anula la cita porfa, me surgió algo",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), not_says=(WHICH_TO_CANCEL, VISIT_CONFIRMED)),
            ),
            Step(
                YES_CANCEL,
                Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(Appointment("Manicure", "Olga", 4, "12:00"),)),
            ),
        ),
    ),
    Scenario(
        name="reminder_answered_an_hour_later_moves_that_appointment_by_an_hour",
        given=(REMINDED_MANICURE,),
        reminded=0,
        steps=(
            Step(
                say(
                    en=[
                        "could we make it an hour later?",
                        "can I come an hour later?",
                        "1 hour later possible?",
                        "pls push it an hour later",
                    ],
                    ru=[
                        "можно на час позже?",
                        "а можно перенести на час попозже?",
                        "давайте на час позже",
                        "на час позже получится?",
                    ],
                    pt=[
                        "dá pra ser uma hora mais tarde?",
                        "posso ir uma hora depois?",
                        "pode passar pra uma hora mais tarde?",
                        "1 hora mais tarde dá?",
                    ],
                    es=[
                        "¿puede ser una hora más tarde?",
                        "¿puedo ir una hora más tarde?",
                        "pásala una hora más tarde porfa",
                        "¿1 hora más tarde se puede?",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(VISIT_CONFIRMED,),
                    service="Manicure",
                    staff="Olga",
                    day=1,
                    at="12:00",
                ),
            ),
            Step(
                YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", "Olga", 1, "12:00"),))
            ),
        ),
    ),
    Scenario(
        name="price_question_after_a_reminder_is_answered_and_a_later_ok_confirms_the_visit",
        given=(REMINDED_MANICURE,),
        reminded=0,
        steps=(
            Step(
                say(
                    en=[
                        "how much is the manicure?",
                        "what's the price for manicure?",
                        "manicure price?",
                        "how much do nails cost?",
                    ],
                    ru=["сколько стоит маникюр?", "какая цена на маникюр?", "маникюр сколько стоит", "почём маникюр?"],
                    pt=[
                        "quanto custa a manicure?",
                        "qual o preço da manicure?",
                        "manicure quanto é?",
                        "quanto tá a manicure?",
                    ],
                    es=[
                        "¿cuánto cuesta la manicura?",
                        "¿qué precio tiene la manicura?",
                        "manicura cuánto es",
                        "¿cuánto vale la manicura?",
                    ],
                ),
                Check(
                    stage=Stage.IDLE,
                    says=(PRICE_LINE,),
                    not_says=(VISIT_CONFIRMED,),
                    booked=(REMINDED_MANICURE,),
                ),
            ),
            Step(
                say(
                    en=["ok great, see you tomorrow 👍", "fine, I'll be there", "ok 👍", "perfect, confirmed"],
                    ru=["ок, буду", "хорошо, до завтра 👍", "ок 👍", "отлично, подтверждаю"],
                    pt=["ok, estarei lá", "beleza, até amanhã 👍", "ok 👍", "perfeito, confirmado"],
                    es=["vale, allí estaré", "genial, hasta mañana 👍", "ok 👍", "perfecto, confirmo"],
                ),
                Check(stage=Stage.IDLE, says=(VISIT_CONFIRMED,), booked=(REMINDED_MANICURE,)),
            ),
        ),
    ),
]

UNCLEAR = [
    Scenario(
        name="my_manicure_on_monday_asks_book_or_move_and_move_it_moves_the_sunday_one",
        given=(SUNDAY_MANICURE,),
        steps=(
            Step(
                MY_MANICURE_ON_MONDAY,
                Check(stage=Stage.CLARIFY_INTENT, says=(CLARIFY,), booked=(SUNDAY_MANICURE,)),
            ),
            Step(
                say(
                    en=["move it", "move the one I have", "reschedule it", "move my sunday one"],
                    ru=["перенести", "перенести ту, что есть", "перенесите", "перенести воскресную"],
                    pt=["remarcar", "remarcar a que já tenho", "remarca", "mudar a de domingo"],
                    es=["cambiarla", "mover la que ya tengo", "cambiar la cita", "mover la del domingo"],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", day=3, at="17:00"),
            ),
            Step(YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", ANY, 3, "17:00"),))),
        ),
    ),
    Scenario(
        name="yes_to_the_clarifying_question_asks_it_again_and_a_new_one_is_booked_with_the_first_details",
        given=(SUNDAY_MANICURE,),
        steps=(
            Step(MY_MANICURE_ON_MONDAY, Check(stage=Stage.CLARIFY_INTENT, says=(CLARIFY,))),
            Step(
                say(
                    en=["yes", "yes please", "yeah", "ok"],
                    ru=["да", "да, пожалуйста", "ага", "ок"],
                    pt=["sim", "sim, por favor", "isso", "ok"],
                    es=["sí", "sí, por favor", "vale", "ok"],
                ),
                Check(stage=Stage.CLARIFY_INTENT, says=(CLARIFY,), booked=(SUNDAY_MANICURE,)),
            ),
            Step(
                say(
                    en=["book a new one", "a new appointment, I keep Sunday", "book another one", "new booking"],
                    ru=["записаться ещё раз", "новую запись, воскресенье оставляю", "ещё одну запись", "записаться"],
                    pt=["marcar outro", "um novo horário, o de domingo fica", "agendar mais um", "marcar"],
                    es=["reservar otra", "una cita nueva, la del domingo la mantengo", "otra cita", "reservar"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=3, at="17:00"),
            ),
            Step(
                YES_BOOK,
                Check(
                    stage=Stage.IDLE,
                    says=(BOOKED,),
                    booked=(SUNDAY_MANICURE, Appointment("Manicure", ANY, 3, "17:00")),
                ),
            ),
        ),
    ),
    Scenario(
        name="about_my_sunday_appointment_asks_what_to_do_and_cancel_it_cancels_it",
        given=(Appointment("Women's haircut", "Anna", 2, "13:00"),),
        steps=(
            Step(
                say(
                    en=[
                        "hi, about my appointment on sunday",
                        "it's about my haircut on Sunday",
                        "hey, regarding sunday's appointment...",
                        "my sunday haircut",
                    ],
                    ru=[
                        "здравствуйте, по поводу моей записи в воскресенье",
                        "я насчёт стрижки в воскресенье",
                        "по записи на воскресенье",
                        "моя стрижка в вс",
                    ],
                    pt=[
                        "oi, sobre o meu horário de domingo",
                        "é sobre meu corte de domingo",
                        "então, sobre o agendamento de domingo...",
                        "meu corte de domingo",
                    ],
                    es=[
                        "hola, sobre mi cita del domingo",
                        "es por mi corte del domingo",
                        "oye, lo de la cita del domingo...",
                        "mi corte del domingo",
                    ],
                ),
                Check(
                    stage=Stage.CLARIFY_INTENT,
                    says=(CLARIFY,),
                    booked=(Appointment("Women's haircut", "Anna", 2, "13:00"),),
                ),
            ),
            Step(
                say(
                    en=["cancel it", "I want to cancel it", "cancel pls", "please cancel"],
                    ru=["отменить", "хочу отменить", "отмените", "отмена"],
                    pt=["cancelar", "quero cancelar", "cancela", "pode cancelar"],
                    es=["cancelarla", "quiero cancelarla", "cancela", "anúlala"],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,)),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=())),
        ),
    ),
]

SCENARIOS = [*TAKEN, *OTHER_TIME, *CLOSED, *PAST, *SEVERAL, *REMINDERS, *UNCLEAR]
