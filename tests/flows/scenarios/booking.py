"""Booking with the details in every order: all at once, one by one, service last, staff first."""

from __future__ import annotations

from booking_bot.domain import Stage
from tests.flows.scenarios.framework import ANY, Appointment, Check, Scenario, Step, say

BOOK_Q = "Shall I book this?\n{details}"
BOOKED = "Done! You are booked: {booking}."

SCENARIOS = [
    Scenario(
        name="everything_in_one_message_then_yes_books_exactly_that",
        steps=(
            Step(
                say(
                    en=[
                        "Can I book a men's haircut with Anna tomorrow at 3pm?",
                        "hi, mens haircut w/ anna tmrw 15:00 pls",
                        "I'd like to get a men's cut with Anna tomorrow at 3 in the afternoon",
                        "book me a haircut for men tomorrow 3pm with anna",
                    ],
                    ru=[
                        "Хочу записаться на мужскую стрижку к Ане завтра в 15:00",
                        "запишите на мужскую стрижку завтра в 15 к Анне",
                        "мужская стрижка к Ане на завтра в три часа дня",
                        "можно к Анне на мужскую стрижку завтра в 15.00?",
                    ],
                    pt=[
                        "Quero marcar um corte masculino com a Anna amanhã às 15h",
                        "corte masculino amanha 15h com a anna pfv",
                        "dá pra agendar corte masculino com Anna amanhã às 3 da tarde?",
                        "marca pra mim um corte masculino amanhã às 15:00 com a Anna",
                    ],
                    es=[
                        "Quiero reservar un corte de caballero con Anna mañana a las 15:00",
                        "corte de caballero mañana a las 3 de la tarde con anna porfa",
                        "¿me das cita para un corte de caballero con Anna mañana a las 15h?",
                        "reserva corte de hombre mañana 15:00 con Anna",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", staff="Anna", day=1, at="15:00"
                ),
            ),
            Step(
                say(
                    en=["yes", "yes please", "ok 👍", "sounds good"],
                    ru=["да", "да, записывайте", "ок", "давайте"],
                    pt=["sim", "pode ser", "fechado", "sim, pode marcar"],
                    es=["sí", "vale", "perfecto", "sí, resérvalo"],
                ),
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Men's haircut", "Anna", 1, "15:00"),)),
            ),
        ),
    ),
    Scenario(
        name="service_first_then_day_then_a_time_from_the_offer",
        steps=(
            Step(
                say(
                    en=[
                        "I want a manicure",
                        "manicure pls",
                        "can i get my nails done",
                        "hi i'd like to book a manicure",
                    ],
                    ru=["хочу на маникюр", "маникюр можно?", "запишите на маникюр", "здравствуйте, нужен маникюр"],
                    pt=["quero fazer as unhas", "manicure pfv", "queria marcar manicure", "oi, quero agendar manicure"],
                    es=[
                        "quiero hacerme la manicura",
                        "manicura porfa",
                        "quisiera reservar manicura",
                        "hola, una manicura",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, service="Manicure"),
            ),
            Step(
                say(
                    en=["tomorrow", "tmrw", "tomorrow please", "saturday"],
                    ru=["завтра", "на завтра", "завтро", "в субботу"],
                    pt=["amanhã", "amanha", "sábado", "pode ser amanhã"],
                    es=["mañana", "mñn", "el sábado", "para mañana"],
                ),
                Check(stage=Stage.CHOOSE_SLOT, service="Manicure", day=1),
            ),
            Step(
                say(
                    en=["the first one", "1", "first", "the first time pls"],
                    ru=["первое", "1", "давайте первое", "первый"],
                    pt=["a primeira", "1", "o primeiro", "pode ser o primeiro"],
                    es=["la primera", "1", "el primero", "la primera opción"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, service="Manicure", day=1, at="10:00", says=(BOOK_Q,)),
            ),
            Step(
                say(
                    en=["yes", "yep", "ok", "confirm"],
                    ru=["да", "ага", "подтверждаю", "ок"],
                    pt=["sim", "isso", "confirmo", "ok"],
                    es=["sí", "vale", "confirmo", "ok"],
                ),
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 1, "10:00"),)),
            ),
        ),
    ),
]
