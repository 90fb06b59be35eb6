"""Switches at every point of a flow, and the customer's existing appointments.

A price, salon-info or "my bookings" question while the bot waits for a day, a time or a yes is answered and the
pending question asked again (the draft kept, the stage unchanged). A move or a cancel asked while a new booking is in
progress puts that booking aside, acts on the customer's existing appointment, then offers the booking back (yes: the
pending question again; no: dropped). "A person, please" mid-flow gets the hand-off answer and nothing is booked.

A move always acts on an existing appointment, never books a new one: with one appointment it goes straight to the
new time; with several the bot asks which, and "the second", "the manicure", "the one on Sunday", "the one with
Bari" pick it. "My bookings" right after booking lists the new appointment.

Salon: the demo salon, open 10:00–20:00 every day; "now" is Friday 27 November 12:00 Moscow (day 1 = Saturday).

"You have {n} upcoming appointments:" (the plural) is checked nowhere: `localized` reads a template through
gettext, which gives a plural entry's first form, so in ru/pt/es the plural text is not what it looks for; the
scenarios that list several appointments check the stage, the draft and the appointments instead.
"""

from __future__ import annotations

from booking_bot.domain import Stage
from tests.flows.scenarios.framework import ANY, Appointment, Check, Scenario, Step, say

BOOK_Q = "Shall I book this?\n{details}"
BOOKED = "Done! You are booked: {booking}."
MOVE_Q = "Shall I move your appointment to this time?\n{details}"
MOVED = "Done! Your appointment is moved: {booking}."
CANCEL_Q = "Shall I cancel this appointment?\n{booking}"
CANCELLED = "Done, your appointment is cancelled: {booking}."
RESUME_Q = "Shall we go back to the booking you started ({details})?"
WHICH_TIME = "Which time suits you?"
WHICH_DAY = "Which day would suit you?"
WHICH_TO_MOVE = "Which appointment would you like to move?"
WHICH_TO_CANCEL = "Which appointment would you like to cancel?"
MOVE_TO_WHICH_DAY = "Your appointment: {booking}. To which day would you like to move it?"
PRICE_LINE = "{service}: {price} ({minutes} min)"
SALON_INFO = "{salon}. Services: {services}. Our specialists: {staff}."
HANDOFF = "This chat is on the salon's own WhatsApp: a member of staff will read it and reply here."
ONE_APPOINTMENT = "You have {n} upcoming appointment:"
NO_APPOINTMENTS = "You have no upcoming appointments. Would you like to book one?"

# The customer's appointments the scenarios start from.
MANICURE_SAT = Appointment("Manicure", "Olga", 1, "12:00")
HAIRCUT_SAT = Appointment("Men's haircut", "Bari", 1, "11:00")
HAIRCUT_SUN = Appointment("Men's haircut", "Bari", 2, "15:00")
WOMENS_SUN = Appointment("Women's haircut", "Anna", 2, "15:00")
COLOURING_SUN = Appointment("Hair colouring", "Anna", 2, "11:00")
COLOURING_MON = Appointment("Hair colouring", "Anna", 3, "12:00")
COLOURING_TUE = Appointment("Hair colouring", "Anna", 4, "16:00")

# Answers used in many conversations.
YES_BOOK = say(
    en=["yes", "yes please 👍", "ok book it", "sounds good"],
    ru=["да", "да, записывайте", "ок", "давайте"],
    pt=["sim", "pode marcar", "fechado 👍", "sim, pode ser"],
    es=["sí", "vale, resérvalo", "perfecto 👍", "sí porfa"],
)
YES_MOVE = say(
    en=["yes", "yes move it", "ok 👍", "perfect, go ahead"],
    ru=["да", "да, переносите", "ок 👍", "отлично, давайте"],
    pt=["sim", "pode remarcar", "ok 👍", "perfeito, pode mudar"],
    es=["sí", "sí, cámbiala", "vale 👍", "perfecto, adelante"],
)
YES_CANCEL = say(
    en=["yes", "yes cancel it", "yep", "ok please do"],
    ru=["да", "да, отменяйте", "ага", "да, пожалуйста"],
    pt=["sim", "pode cancelar", "isso", "sim, por favor"],
    es=["sí", "sí, cancélala", "vale", "sí, por favor"],
)
YES_BACK = say(
    en=["yes", "yes please", "yeah let's continue", "sure"],
    ru=["да", "да, давайте", "ага, продолжим", "конечно"],
    pt=["sim", "sim, vamos", "bora continuar", "claro"],
    es=["sí", "sí, sigamos", "vale, continuamos", "claro"],
)
NO_BACK = say(
    en=["no", "no thanks", "nah, not now", "no, forget it"],
    ru=["нет", "нет, спасибо", "не, не надо", "нет, уже не нужно"],
    pt=["não", "não, obrigado", "agora não", "não precisa"],
    es=["no", "no, gracias", "no, déjalo", "ahora no"],
)
FIRST = say(
    en=["the first one", "1", "first pls", "I'll take the first time"],
    ru=["первое", "1", "давайте первое время", "первый вариант"],
    pt=["o primeiro", "1", "pode ser o primeiro horário", "a primeira opção"],
    es=["la primera", "1", "el primero porfa", "me quedo con la primera hora"],
)
MANICURE_TOMORROW = say(
    en=[
        "manicure tomorrow pls",
        "Hi! Can I get a manicure tomorrow?",
        "i'd like to book nails for tmrw 💅",
        "manicure tomorrow, what times do you have?",
    ],
    ru=[
        "маникюр на завтра",
        "Здравствуйте, можно записаться на маникюр завтра?",
        "хочу маникюр завтра 💅",
        "на завтра есть время на маникюр?",
    ],
    pt=[
        "manicure amanhã",
        "Oi! Dá pra fazer as unhas amanhã?",
        "quero marcar manicure pra amanha 💅",
        "tem horário de manicure amanhã?",
    ],
    es=[
        "manicura mañana",
        "Hola! ¿Puedo pedir una manicura para mañana?",
        "quiero hacerme las uñas mañana 💅",
        "¿tenéis hueco para manicura mañana?",
    ],
)
WOMENS_HAIRCUT = say(
    en=[
        "I'd like a women's haircut",
        "hi, womens cut please",
        "can I book a women's haircut?",
        "need a haircut for a woman ✂️",
    ],
    ru=[
        "хочу женскую стрижку",
        "здравствуйте, запишите на женскую стрижку",
        "можно на женскую стрижку?",
        "мне нужна женская стрижка ✂️",
    ],
    pt=[
        "quero um corte feminino",
        "oi, corte feminino por favor",
        "dá pra marcar corte feminino?",
        "preciso de um corte feminino ✂️",
    ],
    es=[
        "quiero un corte de señora",
        "hola, corte de mujer porfa",
        "¿puedo reservar un corte de señora?",
        "necesito un corte de mujer ✂️",
    ],
)
OFFERS_MANICURE_TOMORROW = Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1)

SIDE_QUESTIONS = [
    Scenario(
        name="price_asked_while_choosing_a_time_is_answered_and_the_same_times_offered_again",
        steps=(
            Step(MANICURE_TOMORROW, OFFERS_MANICURE_TOMORROW),
            Step(
                say(
                    en=[
                        "how much is a manicure?",
                        "whats the price for the manicure",
                        "and how much does it cost?",
                        "price for nails pls?",
                    ],
                    ru=["а сколько стоит маникюр?", "какая цена на маникюр", "а сколько это стоит?", "цена маникюра?"],
                    pt=[
                        "quanto custa a manicure?",
                        "qual o preço da manicure",
                        "e quanto fica?",
                        "quanto é pra fazer as unhas?",
                    ],
                    es=[
                        "¿cuánto cuesta la manicura?",
                        "que precio tiene la manicura",
                        "y cuánto sale?",
                        "cuanto vale hacerse las uñas?",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(PRICE_LINE, WHICH_TIME),
                    not_says=(BOOK_Q,),
                    service="Manicure",
                    day=1,
                ),
            ),
            Step(FIRST, Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="10:00")),
            Step(YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 1, "10:00"),))),
        ),
    ),
    Scenario(
        name="prices_asked_while_the_bot_waits_for_a_day_then_the_day_is_still_asked_for",
        steps=(
            Step(WOMENS_HAIRCUT, Check(stage=Stage.ASK_DATE, service="Women's haircut")),
            Step(
                say(
                    en=["what are your prices?", "how much do you charge", "price list pls", "how much is it?"],
                    ru=["какие у вас цены?", "сколько стоит?", "прайс можно?", "а по ценам что?"],
                    pt=["quais são os preços?", "quanto vocês cobram", "manda a tabela de preços pfv", "quanto custa?"],
                    es=["¿qué precios tenéis?", "cuánto cobráis", "me pasas la lista de precios?", "¿cuánto cuesta?"],
                ),
                Check(stage=Stage.ASK_DATE, says=(PRICE_LINE, WHICH_DAY), service="Women's haircut"),
            ),
            Step(
                say(
                    en=["sunday at 2pm", "Sunday 14:00", "on sunday at 2 in the afternoon", "sun 2pm pls"],
                    ru=[
                        "в воскресенье в 14:00",
                        "воскресенье, 14.00",
                        "в воскресенье в два часа дня",
                        "давайте в вс в 14",
                    ],
                    pt=["domingo às 14h", "domingo 14:00", "no domingo às 2 da tarde", "pode ser domingo 14h"],
                    es=[
                        "el domingo a las 14:00",
                        "domingo 14h",
                        "el domingo a las 2 de la tarde",
                        "domingo a las dos porfa",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Women's haircut", day=2, at="14:00"),
            ),
            Step(YES_BOOK, Check(says=(BOOKED,), booked=(Appointment("Women's haircut", ANY, 2, "14:00"),))),
        ),
    ),
    Scenario(
        name="salon_info_asked_while_confirming_a_booking_is_answered_and_the_booking_confirmed_again",
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut with Bari on Monday at 11am",
                        "mens cut monday 11:00 with bari pls",
                        "Can I book Bari for a men's haircut on Monday at 11?",
                        "monday 11am men's haircut, Bari",
                    ],
                    ru=[
                        "мужская стрижка к Бари в понедельник в 11:00",
                        "запишите к Бари на мужскую стрижку в пн в 11",
                        "можно мужскую стрижку в понедельник в 11 утра у Бари?",
                        "в понедельник в 11.00 мужская стрижка, мастер Бари",
                    ],
                    pt=[
                        "corte masculino com o Bari na segunda às 11h",
                        "corte masculino segunda 11:00 com bari pfv",
                        "Posso marcar corte masculino com Bari na segunda-feira às 11?",
                        "segunda 11h corte masculino, com o Bari",
                    ],
                    es=[
                        "corte de caballero con Bari el lunes a las 11:00",
                        "corte de hombre lunes 11h con bari porfa",
                        "¿Me reservas un corte de caballero con Bari el lunes a las 11?",
                        "el lunes a las 11 de la mañana corte de caballero, con Bari",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", staff="Bari", day=3, at="11:00"
                ),
            ),
            Step(
                say(
                    en=[
                        "wait, where are you located?",
                        "whats your address?",
                        "tell me a bit about the salon first",
                        "where is the salon?",
                    ],
                    ru=[
                        "подождите, а где вы находитесь?",
                        "какой у вас адрес?",
                        "расскажите сначала о салоне",
                        "а где салон?",
                    ],
                    pt=[
                        "espera, onde vocês ficam?",
                        "qual o endereço?",
                        "me fala um pouco do salão antes",
                        "onde fica o salão?",
                    ],
                    es=[
                        "espera, ¿dónde estáis?",
                        "cual es la dirección?",
                        "cuéntame un poco del salón primero",
                        "¿dónde está el salón?",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK,
                    says=(SALON_INFO, BOOK_Q),
                    service="Men's haircut",
                    staff="Bari",
                    day=3,
                    at="11:00",
                    booked=(),
                ),
            ),
            Step(
                YES_BOOK,
                Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Men's haircut", "Bari", 3, "11:00"),)),
            ),
        ),
    ),
    Scenario(
        name="my_bookings_asked_while_choosing_a_time_lists_it_and_offers_the_times_again",
        given=(COLOURING_SUN,),
        steps=(
            Step(MANICURE_TOMORROW, OFFERS_MANICURE_TOMORROW),
            Step(
                say(
                    en=[
                        "wait what do I have booked already?",
                        "show my bookings",
                        "what appointments do i have?",
                        "do I already have something with you? 🤔",
                    ],
                    ru=[
                        "подождите, а на что я уже записан?",
                        "покажите мои записи",
                        "какие у меня записи?",
                        "у меня уже есть запись к вам? 🤔",
                    ],
                    pt=[
                        "espera, o que eu já tenho marcado?",
                        "mostra meus agendamentos",
                        "quais horários eu tenho?",
                        "já tenho algo marcado com vocês? 🤔",
                    ],
                    es=[
                        "espera, ¿qué tengo ya reservado?",
                        "enséñame mis citas",
                        "qué citas tengo?",
                        "¿ya tengo algo reservado con vosotros? 🤔",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_SLOT,
                    says=(ONE_APPOINTMENT, WHICH_TIME),
                    service="Manicure",
                    day=1,
                    booked=(COLOURING_SUN,),
                ),
            ),
            Step(
                say(
                    en=["4pm please", "16:00", "ok then at 4 in the afternoon", "can I come at 4pm?"],
                    ru=["в 16:00, пожалуйста", "16.00", "тогда в 4 часа дня", "можно в 16?"],
                    pt=["às 16h, por favor", "16:00", "então às 4 da tarde", "posso ir às 16h?"],
                    es=["a las 16:00, por favor", "16h", "entonces a las 4 de la tarde", "¿puedo ir a las 16?"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="16:00"),
            ),
            Step(YES_BOOK, Check(says=(BOOKED,), booked=(COLOURING_SUN, Appointment("Manicure", ANY, 1, "16:00")))),
        ),
    ),
    Scenario(
        name="my_bookings_asked_while_confirming_a_booking_asks_to_confirm_it_again",
        given=(HAIRCUT_SAT, WOMENS_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "colouring on Tuesday at 3pm",
                        "hair color tuesday 15:00 pls",
                        "Can I book a coloring on Tuesday at 3?",
                        "i want to dye my hair on tuesday at 3pm",
                    ],
                    ru=[
                        "окрашивание во вторник в 15:00",
                        "покраска во вторник в 15",
                        "можно на окрашивание во вторник в 3 часа дня?",
                        "хочу записаться на окрашивание во вторник на 15.00",
                    ],
                    pt=[
                        "coloração na terça às 15h",
                        "tintura terça 15:00 pfv",
                        "Dá pra marcar coloração na terça às 3 da tarde?",
                        "quero pintar o cabelo terça às 15h, coloração",
                    ],
                    es=[
                        "coloración el martes a las 15:00",
                        "tinte martes 15h porfa",
                        "¿Puedo reservar coloración el martes a las 3 de la tarde?",
                        "quiero hacerme el tinte el martes a las 15:00",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Hair colouring", day=4, at="15:00"),
            ),
            Step(
                say(
                    en=[
                        "hm, remind me what appointments I have",
                        "before that, show me my bookings",
                        "what else do i have booked?",
                        "wait, my appointments?",
                    ],
                    ru=[
                        "хм, напомните, какие у меня записи",
                        "сначала покажите мои записи",
                        "а на что я ещё записан?",
                        "стоп, а мои записи?",
                    ],
                    pt=[
                        "hm, me lembra quais horários eu tenho",
                        "antes, mostra meus agendamentos",
                        "o que mais eu tenho marcado?",
                        "peraí, meus horários?",
                    ],
                    es=[
                        "mm, recuérdame qué citas tengo",
                        "antes, enséñame mis reservas",
                        "¿qué más tengo reservado?",
                        "espera, ¿mis citas?",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK,
                    says=(BOOK_Q,),
                    service="Hair colouring",
                    day=4,
                    at="15:00",
                    booked=(HAIRCUT_SAT, WOMENS_SUN),
                ),
            ),
            Step(
                YES_BOOK,
                Check(says=(BOOKED,), booked=(HAIRCUT_SAT, WOMENS_SUN, Appointment("Hair colouring", ANY, 4, "15:00"))),
            ),
        ),
    ),
    Scenario(
        name="my_bookings_asked_while_the_bot_waits_for_a_day_then_the_day_is_still_asked_for",
        given=(WOMENS_SUN,),
        steps=(
            Step(
                say(
                    en=[
                        "I'd like to book a manicure",
                        "manicure pls",
                        "can i get my nails done?",
                        "hey, a manicure 💅",
                    ],
                    ru=["хочу записаться на маникюр", "маникюр, пожалуйста", "можно на маникюр?", "привет, маникюр 💅"],
                    pt=["quero marcar manicure", "manicure pfv", "dá pra fazer as unhas?", "oi, uma manicure 💅"],
                    es=[
                        "quiero reservar manicura",
                        "manicura porfa",
                        "¿me puedo hacer las uñas?",
                        "hola, una manicura 💅",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, service="Manicure"),
            ),
            Step(
                say(
                    en=[
                        "do I have anything booked already?",
                        "what are my appointments",
                        "my bookings?",
                        "when is my next appointment?",
                    ],
                    ru=[
                        "у меня уже есть какая-то запись?",
                        "какие у меня записи",
                        "мои записи?",
                        "когда у меня запись?",
                    ],
                    pt=[
                        "eu já tenho algo marcado?",
                        "quais são meus agendamentos",
                        "meus horários?",
                        "quando é meu próximo horário?",
                    ],
                    es=[
                        "¿ya tengo algo reservado?",
                        "cuáles son mis citas",
                        "mis reservas?",
                        "¿cuándo es mi próxima cita?",
                    ],
                ),
                Check(
                    stage=Stage.ASK_DATE, says=(ONE_APPOINTMENT, WHICH_DAY), service="Manicure", booked=(WOMENS_SUN,)
                ),
            ),
            Step(
                say(
                    en=[
                        "ok then sunday at 5pm",
                        "Sunday 17:00",
                        "same day, sunday at 5 in the evening",
                        "sunday 5pm works",
                    ],
                    ru=[
                        "тогда в воскресенье в 17:00",
                        "воскресенье 17.00",
                        "в тот же день, в воскресенье в 5 вечера",
                        "в вс в 17 подойдёт",
                    ],
                    pt=[
                        "então domingo às 17h",
                        "domingo 17:00",
                        "no mesmo dia, domingo às 5 da tarde",
                        "domingo 17h tá bom",
                    ],
                    es=[
                        "entonces el domingo a las 17:00",
                        "domingo 17h",
                        "el mismo día, domingo a las 5 de la tarde",
                        "domingo a las 17 me va bien",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=2, at="17:00"),
            ),
            Step(YES_BOOK, Check(says=(BOOKED,), booked=(WOMENS_SUN, Appointment("Manicure", ANY, 2, "17:00")))),
        ),
    ),
    Scenario(
        name="price_asked_while_confirming_a_move_is_answered_and_the_move_confirmed_again",
        given=(HAIRCUT_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "move my haircut to Sunday at 4:30pm",
                        "can you move my appointment to sunday 16:30?",
                        "pls reschedule my haircut to Sunday at half past four pm",
                        "I need to move my cut to sun 4.30pm",
                    ],
                    ru=[
                        "перенесите мою стрижку на воскресенье на 16:30",
                        "можно перенести запись на вс на 16.30?",
                        "перенеси стрижку на воскресенье в полпятого вечера",
                        "мне надо перенести стрижку на воскресенье в 16:30",
                    ],
                    pt=[
                        "muda meu corte pra domingo às 16h30",
                        "dá pra remarcar meu horário pra domingo 16:30?",
                        "remarca meu corte pro domingo às quatro e meia da tarde",
                        "preciso mudar meu corte pra domingo 16h30",
                    ],
                    es=[
                        "cambia mi corte al domingo a las 16:30",
                        "¿puedes mover mi cita al domingo a las 16:30?",
                        "pásame el corte al domingo a las cuatro y media de la tarde",
                        "necesito cambiar mi corte al domingo 16.30",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Men's haircut", staff="Bari", day=2, at="16:30"
                ),
            ),
            Step(
                say(
                    en=[
                        "how much is it again?",
                        "remind me the price of a men's haircut",
                        "and what does it cost?",
                        "price? 💸",
                    ],
                    ru=["напомните, сколько это стоит?", "сколько стоит мужская стрижка?", "а какая цена?", "цена? 💸"],
                    pt=["quanto custa mesmo?", "me lembra o preço do corte masculino", "e quanto é?", "preço? 💸"],
                    es=[
                        "¿cuánto costaba?",
                        "recuérdame el precio del corte de caballero",
                        "¿y cuánto cuesta?",
                        "precio? 💸",
                    ],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(PRICE_LINE, MOVE_Q), day=2, at="16:30", booked=(HAIRCUT_SAT,)),
            ),
            Step(
                YES_MOVE,
                Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Men's haircut", "Bari", 2, "16:30"),)),
            ),
        ),
    ),
    Scenario(
        name="price_asked_while_choosing_which_appointment_to_move_asks_which_again",
        given=(MANICURE_SAT, COLOURING_TUE),
        steps=(
            Step(
                say(
                    en=[
                        "I want to move one of my appointments",
                        "need to reschedule an appointment",
                        "can I change the time of my booking?",
                        "i have to move my appointment 🙏",
                    ],
                    ru=[
                        "хочу перенести одну из записей",
                        "нужно перенести запись",
                        "можно поменять время записи?",
                        "мне надо перенести запись 🙏",
                    ],
                    pt=[
                        "quero remarcar um dos meus horários",
                        "preciso remarcar um horário",
                        "dá pra mudar o horário do meu agendamento?",
                        "tenho que remarcar meu horário 🙏",
                    ],
                    es=[
                        "quiero cambiar una de mis citas",
                        "necesito mover una cita",
                        "¿puedo cambiar la hora de mi reserva?",
                        "tengo que cambiar mi cita 🙏",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,)),
            ),
            Step(
                say(
                    en=[
                        "btw how much is colouring?",
                        "whats the price of hair coloring",
                        "how much does a colouring cost?",
                        "and the colouring, how much?",
                    ],
                    ru=[
                        "кстати, сколько стоит окрашивание?",
                        "какая цена на окрашивание",
                        "сколько стоит покраска?",
                        "а окрашивание почём?",
                    ],
                    pt=[
                        "aliás, quanto custa a coloração?",
                        "qual o preço da coloração",
                        "quanto é a tintura?",
                        "e a coloração, quanto fica?",
                    ],
                    es=[
                        "por cierto, ¿cuánto cuesta la coloración?",
                        "que precio tiene el tinte",
                        "cuánto vale la coloración?",
                        "y la coloración, cuánto es?",
                    ],
                ),
                Check(
                    stage=Stage.CHOOSE_BOOKING, says=(PRICE_LINE, WHICH_TO_MOVE), booked=(MANICURE_SAT, COLOURING_TUE)
                ),
            ),
            Step(
                say(
                    en=["the second one", "2", "the second", "number 2 pls"],
                    ru=["вторую", "2", "вторая", "номер 2"],
                    pt=["o segundo", "2", "a segunda", "o número 2"],
                    es=["la segunda", "2", "el segundo", "la número 2"],
                ),
                Check(stage=Stage.ASK_DATE, says=(MOVE_TO_WHICH_DAY,), service="Hair colouring", staff="Anna"),
            ),
        ),
    ),
    Scenario(
        name="price_asked_at_the_offer_to_go_back_to_a_booking_asks_that_offer_again",
        given=(HAIRCUT_SAT,),
        steps=(
            Step(MANICURE_TOMORROW, OFFERS_MANICURE_TOMORROW),
            Step(
                say(
                    en=[
                        "actually, cancel my haircut please",
                        "pls cancel my men's haircut",
                        "I want to cancel my haircut",
                        "oh and cancel the haircut appointment",
                    ],
                    ru=[
                        "кстати, отмените мою стрижку",
                        "отмените, пожалуйста, мужскую стрижку",
                        "хочу отменить стрижку",
                        "и отмените запись на стрижку",
                    ],
                    pt=[
                        "aliás, cancela meu corte por favor",
                        "cancela meu corte masculino pfv",
                        "quero cancelar meu corte",
                        "ah, e cancela o horário do corte",
                    ],
                    es=[
                        "por cierto, cancela mi corte por favor",
                        "cancela mi corte de caballero porfa",
                        "quiero cancelar mi corte",
                        "ah, y anula la cita del corte",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), suspended=True),
            ),
            Step(YES_CANCEL, Check(stage=Stage.CONFIRM_RESUME, says=(CANCELLED, RESUME_Q), suspended=True, booked=())),
            Step(
                say(
                    en=[
                        "how much is the manicure?",
                        "wait, what's the price of a manicure",
                        "how much for nails?",
                        "manicure price?",
                    ],
                    ru=[
                        "а сколько стоит маникюр?",
                        "подождите, какая цена маникюра",
                        "сколько стоит маникюр?",
                        "цена на маникюр?",
                    ],
                    pt=[
                        "quanto custa a manicure?",
                        "espera, qual o preço da manicure",
                        "quanto é pra fazer as unhas?",
                        "preço da manicure?",
                    ],
                    es=[
                        "¿cuánto cuesta la manicura?",
                        "espera, que precio tiene la manicura",
                        "cuánto valen las uñas?",
                        "precio de la manicura?",
                    ],
                ),
                Check(stage=Stage.CONFIRM_RESUME, says=(PRICE_LINE, RESUME_Q), suspended=True),
            ),
            Step(
                YES_BACK, Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1, suspended=False)
            ),
        ),
    ),
]

HANDOFFS = [
    Scenario(
        name="person_asked_while_choosing_a_time_gets_the_hand_off_and_nothing_is_booked",
        steps=(
            Step(
                say(
                    en=[
                        "manicure on Sunday",
                        "can I get my nails done sunday?",
                        "sunday manicure pls 💅",
                        "Hi, I'd like a manicure this Sunday",
                    ],
                    ru=[
                        "маникюр в воскресенье",
                        "можно на маникюр в воскресенье?",
                        "в вс маникюр пожалуйста 💅",
                        "Здравствуйте, хочу на маникюр в это воскресенье",
                    ],
                    pt=[
                        "manicure no domingo",
                        "dá pra fazer as unhas domingo?",
                        "domingo manicure pfv 💅",
                        "Oi, queria uma manicure nesse domingo",
                    ],
                    es=[
                        "manicura el domingo",
                        "¿me puedo hacer las uñas el domingo?",
                        "domingo manicura porfa 💅",
                        "Hola, quiero una manicura este domingo",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=2),
            ),
            Step(
                say(
                    en=[
                        "can I talk to a real person pls",
                        "I want to speak to someone from the salon",
                        "is there a human I can talk to?",
                        "operator please",
                    ],
                    ru=[
                        "можно поговорить с живым человеком?",
                        "хочу поговорить с администратором",
                        "позовите, пожалуйста, менеджера",
                        "оператора пожалуйста",
                    ],
                    pt=[
                        "posso falar com uma pessoa de verdade?",
                        "quero falar com alguém do salão",
                        "tem algum atendente humano?",
                        "atendente por favor",
                    ],
                    es=[
                        "¿puedo hablar con una persona de verdad?",
                        "quiero hablar con alguien del salón",
                        "¿hay algún humano con quien hablar?",
                        "con un agente por favor",
                    ],
                ),
                Check(says=(HANDOFF,), not_says=(WHICH_TIME,), booked=()),
            ),
        ),
    ),
    Scenario(
        name="person_asked_while_confirming_a_booking_gets_the_hand_off_and_a_later_ok_books_nothing",
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut with Olga tomorrow at 5pm",
                        "womens cut tmrw 17:00 with olga",
                        "Can Olga do a women's haircut for me tomorrow at 5?",
                        "book me a women's haircut with Olga tomorrow 5pm",
                    ],
                    ru=[
                        "женская стрижка к Ольге завтра в 17:00",
                        "женскую стрижку завтра в 17 к Оле",
                        "Ольга может завтра в 5 вечера сделать мне женскую стрижку?",
                        "запишите на женскую стрижку к Ольге на завтра в 17.00",
                    ],
                    pt=[
                        "corte feminino com a Olga amanhã às 17h",
                        "corte feminino amanha 17:00 com olga",
                        "A Olga pode fazer um corte feminino amanhã às 5 da tarde?",
                        "marca corte feminino com a Olga amanhã 17h",
                    ],
                    es=[
                        "corte de señora con Olga mañana a las 17:00",
                        "corte de mujer mañana 17h con olga",
                        "¿Olga me puede hacer un corte de señora mañana a las 5 de la tarde?",
                        "resérvame corte de señora con Olga mañana a las 17",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Women's haircut", staff="Olga", day=1, at="17:00"
                ),
            ),
            Step(
                say(
                    en=[
                        "actually I'd prefer to talk to the administrator",
                        "let me speak to a person first",
                        "can a human call me or write here?",
                        "I want to talk to someone at the salon, not a bot",
                    ],
                    ru=[
                        "вообще я бы лучше поговорил с администратором",
                        "дайте сначала поговорить с человеком",
                        "можно с живым человеком?",
                        "хочу пообщаться с сотрудником салона, а не с ботом",
                    ],
                    pt=[
                        "na verdade prefiro falar com a recepção",
                        "deixa eu falar com uma pessoa antes",
                        "pode um atendente falar comigo aqui?",
                        "quero falar com alguém do salão, não com robô",
                    ],
                    es=[
                        "la verdad, prefiero hablar con recepción",
                        "déjame hablar antes con una persona",
                        "¿puede escribirme aquí una persona?",
                        "quiero hablar con alguien del salón, no con un bot",
                    ],
                ),
                Check(says=(HANDOFF,), not_says=(BOOK_Q,), booked=()),
            ),
            Step(
                say(
                    en=["ok", "ok thanks", "👍", "alright"],
                    ru=["ок", "хорошо, спасибо", "👍", "ладно"],
                    pt=["ok", "ok, obrigado", "👍", "beleza"],
                    es=["ok", "vale, gracias", "👍", "de acuerdo"],
                ),
                Check(not_says=(BOOKED,), booked=()),
            ),
        ),
    ),
    Scenario(
        name="person_asked_while_moving_an_appointment_gets_the_hand_off_and_the_appointment_stays",
        given=(HAIRCUT_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "I need to move my appointment",
                        "can I reschedule my haircut?",
                        "need to change my booking time",
                        "pls move my appointment 🙏",
                    ],
                    ru=[
                        "мне нужно перенести запись",
                        "можно перенести мою стрижку?",
                        "надо поменять время записи",
                        "перенесите мою запись пожалуйста 🙏",
                    ],
                    pt=[
                        "preciso remarcar meu horário",
                        "dá pra remarcar meu corte?",
                        "tenho que mudar o horário",
                        "remarca meu horário pfv 🙏",
                    ],
                    es=[
                        "necesito cambiar mi cita",
                        "¿puedo mover mi corte?",
                        "tengo que cambiar la hora de mi reserva",
                        "cámbiame la cita porfa 🙏",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, says=(MOVE_TO_WHICH_DAY,)),
            ),
            Step(
                say(
                    en=[
                        "let me talk to someone from the salon",
                        "can I speak with a person?",
                        "human please",
                        "I'd rather talk to the staff directly",
                    ],
                    ru=[
                        "дайте поговорить с кем-нибудь из салона",
                        "можно поговорить с человеком?",
                        "человека, пожалуйста",
                        "я лучше напрямую с сотрудниками поговорю",
                    ],
                    pt=[
                        "quero falar com alguém do salão",
                        "posso falar com uma pessoa?",
                        "um humano por favor",
                        "prefiro falar direto com a equipe",
                    ],
                    es=[
                        "quiero hablar con alguien del salón",
                        "¿puedo hablar con una persona?",
                        "una persona, por favor",
                        "prefiero hablar directamente con el personal",
                    ],
                ),
                Check(says=(HANDOFF,), not_says=(MOVE_Q,), booked=(HAIRCUT_SAT,)),
            ),
        ),
    ),
]

MOVE_HAIRCUT_TO_SUNDAY_4_30 = say(
    en=[
        "oh wait, can you move my haircut to Sunday at 4:30pm first?",
        "also pls move my haircut to sunday 16:30",
        "before that, I need my haircut moved to Sunday at half past 4 pm",
        "hold on, reschedule my haircut to sun 4:30pm",
    ],
    ru=[
        "ой, сначала перенесите мою стрижку на воскресенье на 16:30",
        "и ещё перенесите стрижку на вс на 16.30",
        "перед этим мне нужно перенести стрижку на воскресенье на полпятого вечера",
        "подождите, перенесите мою стрижку на воскресенье в 16:30",
    ],
    pt=[
        "ah, antes muda meu corte pra domingo às 16h30",
        "e remarca meu corte pra domingo 16:30 pfv",
        "antes disso preciso mudar meu corte pro domingo às quatro e meia da tarde",
        "peraí, remarca meu corte pra domingo 16h30",
    ],
    es=[
        "ah, antes cambia mi corte al domingo a las 16:30",
        "y muéveme el corte al domingo 16:30 porfa",
        "antes necesito pasar mi corte al domingo a las cuatro y media de la tarde",
        "espera, cambia mi corte al domingo a las 16.30",
    ],
)

SWITCHES = [
    Scenario(
        name="move_asked_while_choosing_a_time_moves_the_existing_appointment_then_yes_goes_back_to_the_times",
        given=(HAIRCUT_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "I'd like a manicure on Monday",
                        "manicure monday pls",
                        "can i book my nails for monday? 💅",
                        "Hi, manicure on Monday, what's free?",
                    ],
                    ru=[
                        "хочу на маникюр в понедельник",
                        "маникюр в пн пожалуйста",
                        "можно записаться на маникюр на понедельник? 💅",
                        "Здравствуйте, маникюр в понедельник, что есть свободного?",
                    ],
                    pt=[
                        "quero fazer manicure na segunda",
                        "manicure segunda pfv",
                        "dá pra marcar as unhas pra segunda? 💅",
                        "Oi, manicure na segunda-feira, o que tem livre?",
                    ],
                    es=[
                        "quiero una manicura el lunes",
                        "manicura el lunes porfa",
                        "¿puedo reservar uñas para el lunes? 💅",
                        "Hola, manicura el lunes, ¿qué tenéis libre?",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=3),
            ),
            Step(
                MOVE_HAIRCUT_TO_SUNDAY_4_30,
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    service="Men's haircut",
                    staff="Bari",
                    day=2,
                    at="16:30",
                    suspended=True,
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.CONFIRM_RESUME,
                    says=(MOVED, RESUME_Q),
                    suspended=True,
                    booked=(Appointment("Men's haircut", "Bari", 2, "16:30"),),
                ),
            ),
            Step(
                YES_BACK, Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=3, suspended=False)
            ),
            Step(FIRST, Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=3, at="10:00")),
            Step(
                YES_BOOK,
                Check(
                    says=(BOOKED,),
                    booked=(Appointment("Men's haircut", "Bari", 2, "16:30"), Appointment("Manicure", ANY, 3, "10:00")),
                ),
            ),
        ),
    ),
    Scenario(
        name="move_asked_while_confirming_a_booking_then_no_to_going_back_drops_that_booking",
        given=(MANICURE_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut on Tuesday at 2pm",
                        "mens cut tuesday 14:00",
                        "can I book a haircut for men on Tuesday at 2?",
                        "tuesday 2pm men's haircut pls",
                    ],
                    ru=[
                        "мужская стрижка во вторник в 14:00",
                        "мужскую стрижку во вт в 14",
                        "можно на мужскую стрижку во вторник в 2 часа дня?",
                        "во вторник в 14.00 мужская стрижка пожалуйста",
                    ],
                    pt=[
                        "corte masculino na terça às 14h",
                        "corte masculino terça 14:00",
                        "dá pra marcar corte masculino terça às 2 da tarde?",
                        "terça 14h corte masculino pfv",
                    ],
                    es=[
                        "corte de caballero el martes a las 14:00",
                        "corte de hombre martes 14h",
                        "¿puedo reservar corte de caballero el martes a las 2 de la tarde?",
                        "martes a las 14 corte de caballero porfa",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", day=4, at="14:00"),
            ),
            Step(
                say(
                    en=[
                        "hold on, can you move my manicure to Sunday at 1pm?",
                        "wait, also move my manicure to sunday 13:00",
                        "before that: please reschedule my manicure to Sunday at 1 pm",
                        "oh and my manicure, move it to sun 1pm pls",
                    ],
                    ru=[
                        "подождите, можно перенести мой маникюр на воскресенье на 13:00?",
                        "стоп, ещё перенесите маникюр на вс на 13",
                        "перед этим: перенесите, пожалуйста, маникюр на воскресенье на час дня",
                        "а маникюр мой перенесите на воскресенье в 13.00",
                    ],
                    pt=[
                        "espera, dá pra mudar minha manicure pra domingo às 13h?",
                        "peraí, remarca também a manicure pra domingo 13:00",
                        "antes disso: remarca minha manicure pro domingo à 1 da tarde",
                        "ah e minha manicure, muda pra domingo 13h pfv",
                    ],
                    es=[
                        "espera, ¿puedes cambiar mi manicura al domingo a las 13:00?",
                        "para, mueve también la manicura al domingo 13h",
                        "antes de eso: pásame la manicura al domingo a la 1 de la tarde",
                        "ah y mi manicura, cámbiala al domingo a las 13 porfa",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    service="Manicure",
                    staff="Olga",
                    day=2,
                    at="13:00",
                    suspended=True,
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.CONFIRM_RESUME,
                    says=(MOVED, RESUME_Q),
                    suspended=True,
                    booked=(Appointment("Manicure", "Olga", 2, "13:00"),),
                ),
            ),
            Step(
                NO_BACK,
                Check(
                    stage=Stage.IDLE,
                    not_says=(BOOK_Q,),
                    suspended=False,
                    booked=(Appointment("Manicure", "Olga", 2, "13:00"),),
                ),
            ),
        ),
    ),
    Scenario(
        name="move_asked_while_confirming_a_booking_then_yes_asks_to_confirm_that_booking_again",
        given=(COLOURING_MON,),
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow at 1pm",
                        "nails tmrw 13:00 pls",
                        "Can I get a manicure tomorrow at 1?",
                        "book a manicure for tomorrow 1pm",
                    ],
                    ru=[
                        "маникюр завтра в 13:00",
                        "маникюр на завтра в 13",
                        "можно завтра на маникюр в час дня?",
                        "запишите на маникюр завтра на 13.00",
                    ],
                    pt=[
                        "manicure amanhã às 13h",
                        "unhas amanha 13:00 pfv",
                        "Dá pra fazer manicure amanhã à 1 da tarde?",
                        "marca manicure pra amanhã 13h",
                    ],
                    es=[
                        "manicura mañana a las 13:00",
                        "uñas mañana 13h porfa",
                        "¿Me haces la manicura mañana a la 1 de la tarde?",
                        "reserva manicura para mañana a las 13",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="13:00"),
            ),
            Step(
                say(
                    en=[
                        "and could you move my colouring to Wednesday, same time?",
                        "also move my hair color to wednesday same time pls",
                        "wait, my colouring on Monday: can it be Wednesday at the same time?",
                        "move my coloring appointment to wednesday, same time 🙏",
                    ],
                    ru=[
                        "и можно перенести моё окрашивание на среду в то же время?",
                        "ещё перенесите покраску на среду, на то же время",
                        "подождите, окрашивание в понедельник можно перенести на среду на то же время?",
                        "перенесите окрашивание на среду в это же время 🙏",
                    ],
                    pt=[
                        "e dá pra mudar minha coloração pra quarta no mesmo horário?",
                        "remarca também a tintura pra quarta, mesmo horário pfv",
                        "espera, minha coloração de segunda: pode ser quarta no mesmo horário?",
                        "muda minha coloração pra quarta-feira, mesmo horário 🙏",
                    ],
                    es=[
                        "¿y puedes pasar mi coloración al miércoles a la misma hora?",
                        "cambia también el tinte al miércoles, misma hora porfa",
                        "espera, mi coloración del lunes: ¿puede ser el miércoles a la misma hora?",
                        "mueve mi cita de coloración al miércoles a la misma hora 🙏",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    service="Hair colouring",
                    staff="Anna",
                    day=5,
                    at="12:00",
                    suspended=True,
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.CONFIRM_RESUME,
                    says=(MOVED, RESUME_Q),
                    booked=(Appointment("Hair colouring", "Anna", 5, "12:00"),),
                ),
            ),
            Step(YES_BACK, Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="13:00")),
            Step(
                YES_BOOK,
                Check(
                    says=(BOOKED,),
                    booked=(
                        Appointment("Hair colouring", "Anna", 5, "12:00"),
                        Appointment("Manicure", ANY, 1, "13:00"),
                    ),
                ),
            ),
        ),
    ),
    Scenario(
        name="cancel_asked_while_the_bot_waits_for_a_day_cancels_the_existing_then_yes_asks_for_the_day_again",
        given=(COLOURING_MON,),
        steps=(
            Step(WOMENS_HAIRCUT, Check(stage=Stage.ASK_DATE, service="Women's haircut")),
            Step(
                say(
                    en=[
                        "oh and please cancel my colouring on monday",
                        "also cancel my hair color appointment pls",
                        "btw I can't make the coloring on Monday, cancel it",
                        "and cancel my colouring 🙏",
                    ],
                    ru=[
                        "и отмените, пожалуйста, окрашивание в понедельник",
                        "ещё отмените мою запись на покраску",
                        "кстати, на окрашивание в понедельник я не смогу, отмените его",
                        "и отмените окрашивание 🙏",
                    ],
                    pt=[
                        "ah, e cancela minha coloração de segunda por favor",
                        "cancela também meu horário de tintura pfv",
                        "aliás, não vou poder ir na coloração de segunda, cancela",
                        "e cancela minha coloração 🙏",
                    ],
                    es=[
                        "ah, y cancela mi coloración del lunes por favor",
                        "anula también mi cita de tinte porfa",
                        "por cierto, no puedo ir a la coloración del lunes, cancélala",
                        "y cancela mi coloración 🙏",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), suspended=True, booked=(COLOURING_MON,)),
            ),
            Step(YES_CANCEL, Check(stage=Stage.CONFIRM_RESUME, says=(CANCELLED, RESUME_Q), suspended=True, booked=())),
            Step(YES_BACK, Check(stage=Stage.ASK_DATE, says=(WHICH_DAY,), service="Women's haircut", suspended=False)),
            Step(
                say(
                    en=["tomorrow at 6pm", "tmrw 18:00", "tomorrow at 6 in the evening", "saturday 6pm"],
                    ru=["завтра в 18:00", "завтра в 18", "завтра в 6 вечера", "в субботу в 18.00"],
                    pt=["amanhã às 18h", "amanha 18:00", "amanhã às 6 da tarde", "sábado 18h"],
                    es=["mañana a las 18:00", "mañana 18h", "mañana a las 6 de la tarde", "el sábado a las 18"],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Women's haircut", day=1, at="18:00"),
            ),
            Step(YES_BOOK, Check(says=(BOOKED,), booked=(Appointment("Women's haircut", ANY, 1, "18:00"),))),
        ),
    ),
    Scenario(
        name="cancel_asked_while_choosing_a_time_with_two_appointments_asks_which_and_cancels_the_second",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "colouring on Wednesday",
                        "hair color wednesday pls",
                        "can I book a coloring for wednesday?",
                        "i want to dye my hair on wednesday",
                    ],
                    ru=[
                        "окрашивание в среду",
                        "покраска в среду пожалуйста",
                        "можно записаться на окрашивание в среду?",
                        "хочу покраситься в среду, окрашивание",
                    ],
                    pt=[
                        "coloração na quarta",
                        "tintura quarta pfv",
                        "dá pra marcar coloração pra quarta-feira?",
                        "quero fazer coloração na quarta",
                    ],
                    es=[
                        "coloración el miércoles",
                        "tinte el miércoles porfa",
                        "¿puedo reservar coloración para el miércoles?",
                        "quiero hacerme el tinte el miércoles",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Hair colouring", day=5),
            ),
            Step(
                say(
                    en=[
                        "I need to cancel one of my appointments",
                        "wait, i have to cancel a booking first",
                        "can you cancel an appointment of mine?",
                        "before that, cancel my appointment pls",
                    ],
                    ru=[
                        "мне нужно отменить одну из записей",
                        "подождите, сначала надо отменить запись",
                        "можете отменить мою запись?",
                        "перед этим отмените мою запись пожалуйста",
                    ],
                    pt=[
                        "preciso cancelar um dos meus horários",
                        "espera, antes tenho que cancelar um agendamento",
                        "você pode cancelar um horário meu?",
                        "antes disso, cancela meu horário pfv",
                    ],
                    es=[
                        "necesito cancelar una de mis citas",
                        "espera, primero tengo que anular una reserva",
                        "¿puedes cancelar una cita mía?",
                        "antes de eso, cancela mi cita porfa",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_CANCEL,), suspended=True),
            ),
            Step(
                say(
                    en=["the second one", "2", "the 2nd", "number two"],
                    ru=["вторую", "2", "вторая", "номер два"],
                    pt=["o segundo", "2", "a segunda", "o número dois"],
                    es=["la segunda", "2", "el segundo", "la número dos"],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), suspended=True),
            ),
            Step(YES_CANCEL, Check(stage=Stage.CONFIRM_RESUME, says=(CANCELLED, RESUME_Q), booked=(MANICURE_SAT,))),
            Step(NO_BACK, Check(stage=Stage.IDLE, not_says=(WHICH_TIME,), suspended=False, booked=(MANICURE_SAT,))),
        ),
    ),
    Scenario(
        name="move_asked_while_choosing_a_time_with_two_appointments_is_picked_by_its_service",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "women's haircut tomorrow",
                        "womens cut tmrw?",
                        "can I book a women's haircut for tomorrow",
                        "tomorrow, haircut for a woman pls",
                    ],
                    ru=[
                        "женская стрижка на завтра",
                        "женскую стрижку завтра можно?",
                        "можно записаться на женскую стрижку на завтра",
                        "завтра женская стрижка пожалуйста",
                    ],
                    pt=[
                        "corte feminino amanhã",
                        "corte feminino amanha?",
                        "dá pra marcar corte feminino pra amanhã",
                        "amanhã, corte feminino pfv",
                    ],
                    es=[
                        "corte de señora mañana",
                        "corte de mujer mañana?",
                        "¿puedo reservar un corte de señora para mañana?",
                        "mañana, corte de mujer porfa",
                    ],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Women's haircut", day=1),
            ),
            Step(
                say(
                    en=[
                        "can I move an appointment of mine to Monday at 11?",
                        "wait, I need to move my booking to monday 11am",
                        "also reschedule my appointment to Monday at 11:00 pls",
                        "before that: move my appointment to mon 11am",
                    ],
                    ru=[
                        "можно перенести мою запись на понедельник на 11?",
                        "подождите, мне надо перенести запись на пн на 11:00",
                        "ещё перенесите мою запись на понедельник на 11 утра",
                        "перед этим: перенесите запись на понедельник в 11",
                    ],
                    pt=[
                        "dá pra mudar um horário meu pra segunda às 11?",
                        "espera, preciso remarcar meu horário pra segunda 11h",
                        "remarca também meu agendamento pra segunda às 11:00 pfv",
                        "antes: muda meu horário pra segunda às 11 da manhã",
                    ],
                    es=[
                        "¿puedo mover una cita mía al lunes a las 11?",
                        "espera, necesito cambiar mi reserva al lunes 11h",
                        "cámbiame también la cita al lunes a las 11:00 porfa",
                        "antes: pasa mi cita al lunes a las 11 de la mañana",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,), suspended=True),
            ),
            Step(
                say(
                    en=["the manicure", "my manicure", "the manicure one", "nails"],
                    ru=["маникюр", "мой маникюр", "запись на маникюр", "ту, что на маникюр"],
                    pt=["a manicure", "minha manicure", "o horário da manicure", "o das unhas"],
                    es=["la manicura", "mi manicura", "la cita de manicura", "la de las uñas"],
                ),
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", staff="Olga", day=3, at="11:00"),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.CONFIRM_RESUME,
                    says=(MOVED, RESUME_Q),
                    booked=(Appointment("Manicure", "Olga", 3, "11:00"), HAIRCUT_SUN),
                ),
            ),
            Step(YES_BACK, Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Women's haircut", day=1)),
        ),
    ),
    Scenario(
        name="cancel_asked_while_confirming_a_booking_with_two_appointments_is_picked_by_master_then_yes_goes_back",
        given=(MANICURE_SAT, WOMENS_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "men's haircut on Monday at 11am",
                        "mens cut monday 11:00",
                        "Can I book a men's haircut Monday at 11?",
                        "monday 11am, haircut for men",
                    ],
                    ru=[
                        "мужская стрижка в понедельник в 11:00",
                        "мужскую стрижку в пн на 11",
                        "можно мужскую стрижку в понедельник в 11?",
                        "в понедельник в 11 утра мужская стрижка",
                    ],
                    pt=[
                        "corte masculino na segunda às 11h",
                        "corte masculino segunda 11:00",
                        "Dá pra marcar corte masculino segunda às 11?",
                        "segunda 11h, corte masculino",
                    ],
                    es=[
                        "corte de caballero el lunes a las 11:00",
                        "corte de hombre lunes 11h",
                        "¿Puedo reservar corte de caballero el lunes a las 11?",
                        "el lunes a las 11, corte de caballero",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", day=3, at="11:00"),
            ),
            Step(
                say(
                    en=[
                        "wait, I have to cancel one appointment first",
                        "before that, cancel one of my bookings pls",
                        "hold on, I need to cancel an appointment",
                        "first cancel an appointment of mine",
                    ],
                    ru=[
                        "подождите, мне сначала надо отменить одну запись",
                        "перед этим отмените одну из моих записей",
                        "стоп, мне нужно отменить запись",
                        "сначала отмените мою запись",
                    ],
                    pt=[
                        "espera, antes tenho que cancelar um horário",
                        "antes disso, cancela um dos meus agendamentos pfv",
                        "peraí, preciso cancelar um horário",
                        "primeiro cancela um horário meu",
                    ],
                    es=[
                        "espera, primero tengo que cancelar una cita",
                        "antes de eso, anula una de mis reservas porfa",
                        "un momento, necesito cancelar una cita",
                        "primero cancela una cita mía",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_CANCEL,), suspended=True),
            ),
            Step(
                say(
                    en=["the one with Olga", "Olga's", "with olga", "the appointment with Olga"],
                    ru=["ту, что у Ольги", "к Оле", "у Ольги", "запись к Ольге"],
                    pt=["a da Olga", "com a Olga", "o com a olga", "o horário com a Olga"],
                    es=["la de Olga", "con Olga", "la que es con olga", "la cita con Olga"],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), suspended=True),
            ),
            Step(YES_CANCEL, Check(stage=Stage.CONFIRM_RESUME, says=(CANCELLED, RESUME_Q), booked=(WOMENS_SUN,))),
            Step(YES_BACK, Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Men's haircut", day=3, at="11:00")),
            Step(YES_BOOK, Check(says=(BOOKED,), booked=(WOMENS_SUN, Appointment("Men's haircut", ANY, 3, "11:00")))),
        ),
    ),
    Scenario(
        name="move_asked_mid_booking_with_no_appointments_says_so_and_the_booking_goes_on",
        steps=(
            Step(MANICURE_TOMORROW, OFFERS_MANICURE_TOMORROW),
            Step(
                say(
                    en=[
                        "can you move my appointment to sunday?",
                        "wait, move my booking to Sunday pls",
                        "I need to reschedule my appointment to sunday",
                        "and my appointment, move it to Sunday",
                    ],
                    ru=[
                        "можно перенести мою запись на воскресенье?",
                        "подождите, перенесите мою запись на вс",
                        "мне нужно перенести запись на воскресенье",
                        "а мою запись перенесите на воскресенье",
                    ],
                    pt=[
                        "dá pra mudar meu horário pra domingo?",
                        "espera, remarca meu agendamento pra domingo pfv",
                        "preciso remarcar meu horário pro domingo",
                        "e meu horário, muda pra domingo",
                    ],
                    es=[
                        "¿puedes cambiar mi cita al domingo?",
                        "espera, mueve mi reserva al domingo porfa",
                        "necesito cambiar mi cita al domingo",
                        "y mi cita, pásala al domingo",
                    ],
                ),
                Check(stage=(Stage.CHOOSE_SLOT, Stage.CONFIRM_RESUME), says=(NO_APPOINTMENTS,), booked=()),
            ),
            Step(YES_BACK, Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=1, booked=())),
        ),
    ),
]

MOVE_TO_MONDAY_11 = say(
    en=[
        "can you move my appointment to Monday at 11am",
        "I need to reschedule to monday 11:00",
        "pls move my booking to Monday at 11",
        "move my appointment to mon 11am 🙏",
    ],
    ru=[
        "можно перенести мою запись на понедельник на 11:00",
        "мне нужно перенестись на пн на 11",
        "перенесите мою запись на понедельник в 11 утра",
        "перенесите запись на понедельник на 11 🙏",
    ],
    pt=[
        "dá pra mudar meu horário pra segunda às 11h",
        "preciso remarcar pra segunda 11:00",
        "remarca meu agendamento pra segunda às 11 pfv",
        "muda meu horário pra segunda 11h 🙏",
    ],
    es=[
        "¿puedes cambiar mi cita al lunes a las 11:00?",
        "necesito mover la cita al lunes 11h",
        "pásame la reserva al lunes a las 11 porfa",
        "cambia mi cita al lunes a las 11 🙏",
    ],
)

EXISTING = [
    Scenario(
        name="move_with_one_appointment_goes_straight_to_the_new_time_and_never_books_a_new_one",
        given=(HAIRCUT_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "can you move my appointment to tomorrow at 6pm?",
                        "pls move my haircut to 18:00 tmrw",
                        "I'd like to reschedule to tomorrow at 6 in the evening",
                        "move my booking to 6pm tomorrow",
                    ],
                    ru=[
                        "можно перенести мою запись на завтра на 18:00?",
                        "перенесите стрижку на завтра на 18",
                        "хочу перенести запись на завтра на 6 вечера",
                        "перенесите мою запись на 18.00 завтра",
                    ],
                    pt=[
                        "dá pra mudar meu horário pra amanhã às 18h?",
                        "remarca meu corte pra amanha 18:00 pfv",
                        "queria remarcar pra amanhã às 6 da tarde",
                        "muda meu agendamento pras 18h de amanhã",
                    ],
                    es=[
                        "¿puedes cambiar mi cita a mañana a las 18:00?",
                        "mueve mi corte a mañana a las 18 porfa",
                        "quisiera cambiar la cita a mañana a las 6 de la tarde",
                        "pasa mi reserva a las 18h de mañana",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(BOOK_Q, WHICH_TO_MOVE),
                    service="Men's haircut",
                    staff="Bari",
                    day=1,
                    at="18:00",
                ),
            ),
            Step(
                YES_MOVE,
                Check(
                    stage=Stage.IDLE,
                    says=(MOVED,),
                    not_says=(BOOKED,),
                    booked=(Appointment("Men's haircut", "Bari", 1, "18:00"),),
                ),
            ),
            Step(
                say(
                    en=[
                        "what are my bookings now?",
                        "show my appointments",
                        "so what do I have booked?",
                        "my bookings pls",
                    ],
                    ru=[
                        "какие у меня теперь записи?",
                        "покажите мои записи",
                        "и на что я записан?",
                        "мои записи пожалуйста",
                    ],
                    pt=[
                        "quais são meus horários agora?",
                        "mostra meus agendamentos",
                        "então o que eu tenho marcado?",
                        "meus horários pfv",
                    ],
                    es=[
                        "¿qué citas tengo ahora?",
                        "enséñame mis citas",
                        "entonces, ¿qué tengo reservado?",
                        "mis reservas porfa",
                    ],
                ),
                Check(
                    stage=Stage.IDLE,
                    says=(ONE_APPOINTMENT,),
                    booked=(Appointment("Men's haircut", "Bari", 1, "18:00"),),
                ),
            ),
        ),
    ),
    Scenario(
        name="move_without_a_day_asks_for_the_day_then_offers_times_and_moves_to_the_one_picked",
        given=(MANICURE_SAT,),
        steps=(
            Step(
                say(
                    en=[
                        "I need to reschedule my manicure",
                        "can I move my manicure?",
                        "my manicure needs another day 😕",
                        "pls move my nails appointment",
                    ],
                    ru=[
                        "мне нужно перенести маникюр",
                        "можно перенести мой маникюр?",
                        "маникюр надо на другой день 😕",
                        "перенесите мою запись на маникюр пожалуйста",
                    ],
                    pt=[
                        "preciso remarcar minha manicure",
                        "dá pra mudar minha manicure?",
                        "minha manicure precisa ser outro dia 😕",
                        "remarca meu horário de unhas pfv",
                    ],
                    es=[
                        "necesito cambiar mi manicura",
                        "¿puedo mover mi manicura?",
                        "mi manicura tiene que ser otro día 😕",
                        "cámbiame la cita de uñas porfa",
                    ],
                ),
                Check(stage=Stage.ASK_DATE, says=(MOVE_TO_WHICH_DAY,), not_says=(BOOK_Q,), booked=(MANICURE_SAT,)),
            ),
            Step(
                say(
                    en=["thursday", "Thursday please", "on thursday", "thu"],
                    ru=["четверг", "в четверг", "на четверг пожалуйста", "давайте в четверг"],
                    pt=["quinta", "quinta-feira", "na quinta por favor", "pode ser quinta"],
                    es=["el jueves", "jueves", "el jueves por favor", "mejor el jueves"],
                ),
                Check(stage=Stage.CHOOSE_SLOT, says=(WHICH_TIME,), service="Manicure", day=6),
            ),
            Step(
                FIRST,
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", staff="Olga", day=6, at="10:00"),
            ),
            Step(
                YES_MOVE, Check(stage=Stage.IDLE, says=(MOVED,), booked=(Appointment("Manicure", "Olga", 6, "10:00"),))
            ),
        ),
    ),
    Scenario(
        name="move_naming_the_service_with_two_appointments_goes_straight_to_that_appointment",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "move my manicure to Monday at 3pm please",
                        "can you put my manicure on monday 15:00?",
                        "i need my manicure moved to Monday at 3 in the afternoon",
                        "reschedule manicure to mon 3pm",
                    ],
                    ru=[
                        "перенесите маникюр на понедельник на 15:00, пожалуйста",
                        "можно мой маникюр сдвинуть на пн на 15?",
                        "мне нужно перенести маникюр на понедельник на 3 часа дня",
                        "перенос маникюра на понедельник 15.00",
                    ],
                    pt=[
                        "muda minha manicure pra segunda às 15h por favor",
                        "dá pra passar minha manicure pra segunda 15:00?",
                        "preciso remarcar a manicure pra segunda às 3 da tarde",
                        "remarcar manicure pra segunda 15h",
                    ],
                    es=[
                        "cambia mi manicura al lunes a las 15:00 por favor",
                        "¿puedes pasar mi manicura al lunes 15h?",
                        "necesito mover la manicura al lunes a las 3 de la tarde",
                        "mover manicura al lunes a las 15",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(WHICH_TO_MOVE,),
                    service="Manicure",
                    staff="Olga",
                    day=3,
                    at="15:00",
                ),
            ),
            Step(YES_MOVE, Check(says=(MOVED,), booked=(Appointment("Manicure", "Olga", 3, "15:00"), HAIRCUT_SUN))),
        ),
    ),
    Scenario(
        name="move_of_a_haircut_said_loosely_picks_the_only_haircut_among_two_appointments",
        given=(MANICURE_SAT, WOMENS_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "can you move my haircut to Tuesday at 12?",
                        "move my hair cut to tuesday noon pls",
                        "I need to reschedule the haircut to Tuesday at 12:00",
                        "can my haircut be moved to tue 12pm?",
                    ],
                    ru=[
                        "можно перенести мою стрижку на вторник на 12?",
                        "перенесите стрижку на вторник на 12:00",
                        "мне нужно перенести стрижку на вторник в полдень",
                        "стрижку перенесите на вторник в 12, пожалуйста",
                    ],
                    pt=[
                        "dá pra mudar meu corte pra terça às 12h?",
                        "remarca meu corte pra terça meio-dia pfv",
                        "preciso passar o corte pra terça às 12:00",
                        "muda o corte pra terça 12h por favor",
                    ],
                    es=[
                        "¿puedes cambiar mi corte al martes a las 12?",
                        "mueve mi corte al martes a mediodía porfa",
                        "necesito pasar el corte al martes a las 12:00",
                        "pásame el corte al martes a las 12h por favor",
                    ],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE,
                    says=(MOVE_Q,),
                    not_says=(WHICH_TO_MOVE,),
                    service="Women's haircut",
                    staff="Anna",
                    day=4,
                    at="12:00",
                ),
            ),
            Step(
                YES_MOVE,
                Check(says=(MOVED,), booked=(MANICURE_SAT, Appointment("Women's haircut", "Anna", 4, "12:00"))),
            ),
        ),
    ),
    Scenario(
        name="move_with_two_appointments_asks_which_and_the_one_on_sunday_is_moved_to_the_day_given_next",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "I need to reschedule",
                        "can I move my appointment?",
                        "need to change my booking 🙏",
                        "hi, I want to reschedule my appointment",
                    ],
                    ru=[
                        "мне нужно перенести запись",
                        "можно перенести мою запись?",
                        "надо поменять запись 🙏",
                        "здравствуйте, хочу перенести запись",
                    ],
                    pt=[
                        "preciso remarcar",
                        "dá pra mudar meu horário?",
                        "tenho que mudar meu agendamento 🙏",
                        "oi, quero remarcar meu horário",
                    ],
                    es=[
                        "necesito cambiar la cita",
                        "¿puedo mover mi cita?",
                        "tengo que cambiar mi reserva 🙏",
                        "hola, quiero cambiar mi cita",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,)),
            ),
            Step(
                say(
                    en=["the one on Sunday", "sunday's", "the sunday one", "the appointment on Sunday"],
                    ru=["ту, что в воскресенье", "воскресную", "в воскресенье", "запись на воскресенье"],
                    pt=["a de domingo", "o de domingo", "o horário de domingo", "a do domingo"],
                    es=["la del domingo", "el del domingo", "la cita del domingo", "la de domingo"],
                ),
                Check(stage=Stage.ASK_DATE, says=(MOVE_TO_WHICH_DAY,), service="Men's haircut", staff="Bari"),
            ),
            Step(
                say(
                    en=["Monday at 5pm", "monday 17:00", "to monday at 5 in the evening", "mon 5pm pls"],
                    ru=["на понедельник на 17:00", "пн 17.00", "на понедельник в 5 вечера", "в понедельник в 17"],
                    pt=["segunda às 17h", "segunda 17:00", "pra segunda às 5 da tarde", "segunda-feira 17h pfv"],
                    es=["el lunes a las 17:00", "lunes 17h", "al lunes a las 5 de la tarde", "lunes a las 17 porfa"],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Men's haircut", staff="Bari", day=3, at="17:00"
                ),
            ),
            Step(
                YES_MOVE, Check(says=(MOVED,), booked=(MANICURE_SAT, Appointment("Men's haircut", "Bari", 3, "17:00")))
            ),
        ),
    ),
    Scenario(
        name="move_with_two_appointments_asks_which_and_the_one_with_bari_is_moved_to_the_time_first_given",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(MOVE_TO_MONDAY_11, Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,), not_says=(MOVE_Q,))),
            Step(
                say(
                    en=["the one with Bari", "Bari's", "with bari", "the appointment with Bari"],
                    ru=["ту, что у Бари", "к Бари", "у Бари", "запись к Бари"],
                    pt=["a do Bari", "com o Bari", "o com o bari", "o horário com o Bari"],
                    es=["la de Bari", "con Bari", "la que es con bari", "la cita con Bari"],
                ),
                Check(
                    stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Men's haircut", staff="Bari", day=3, at="11:00"
                ),
            ),
            Step(
                YES_MOVE, Check(says=(MOVED,), booked=(MANICURE_SAT, Appointment("Men's haircut", "Bari", 3, "11:00")))
            ),
        ),
    ),
    Scenario(
        name="move_with_two_appointments_asks_which_and_the_first_by_number_is_moved",
        given=(MANICURE_SAT, COLOURING_TUE),
        steps=(
            Step(MOVE_TO_MONDAY_11, Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_MOVE,), not_says=(MOVE_Q,))),
            Step(
                FIRST,
                Check(stage=Stage.CONFIRM_MOVE, says=(MOVE_Q,), service="Manicure", staff="Olga", day=3, at="11:00"),
            ),
            Step(YES_MOVE, Check(says=(MOVED,), booked=(Appointment("Manicure", "Olga", 3, "11:00"), COLOURING_TUE))),
        ),
    ),
    Scenario(
        name="cancel_naming_the_service_with_two_appointments_cancels_just_that_one",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "please cancel my manicure",
                        "cancel manicure pls",
                        "I can't come to the manicure, cancel it",
                        "can you cancel my nails appointment?",
                    ],
                    ru=[
                        "отмените, пожалуйста, маникюр",
                        "отмена маникюра",
                        "не смогу прийти на маникюр, отмените",
                        "можете отменить мою запись на маникюр?",
                    ],
                    pt=[
                        "cancela minha manicure por favor",
                        "cancelar manicure pfv",
                        "não vou poder ir na manicure, cancela",
                        "pode cancelar meu horário de unhas?",
                    ],
                    es=[
                        "cancela mi manicura por favor",
                        "anular manicura porfa",
                        "no puedo ir a la manicura, cancélala",
                        "¿puedes cancelar mi cita de uñas?",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), not_says=(WHICH_TO_CANCEL,)),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(HAIRCUT_SUN,))),
        ),
    ),
    Scenario(
        name="cancel_with_two_appointments_asks_which_and_the_one_on_saturday_is_cancelled",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        steps=(
            Step(
                say(
                    en=[
                        "I can't make it, please cancel my appointment",
                        "cancel my booking pls",
                        "I need to cancel",
                        "hi, can you cancel my appointment? 😔",
                    ],
                    ru=[
                        "не получается прийти, отмените запись",
                        "отмените мою запись пожалуйста",
                        "мне нужно отменить запись",
                        "здравствуйте, можно отменить запись? 😔",
                    ],
                    pt=[
                        "não vou conseguir ir, cancela meu horário",
                        "cancela meu agendamento pfv",
                        "preciso cancelar",
                        "oi, pode cancelar meu horário? 😔",
                    ],
                    es=[
                        "no puedo ir, cancela mi cita",
                        "anula mi reserva porfa",
                        "necesito cancelar",
                        "hola, ¿puedes cancelar mi cita? 😔",
                    ],
                ),
                Check(stage=Stage.CHOOSE_BOOKING, says=(WHICH_TO_CANCEL,), booked=(MANICURE_SAT, HAIRCUT_SUN)),
            ),
            Step(
                say(
                    en=["the one on saturday", "saturday's", "the saturday one", "tomorrow's one"],
                    ru=["ту, что в субботу", "субботнюю", "в субботу", "завтрашнюю"],
                    pt=["a de sábado", "o de sábado", "o horário de sábado", "a de amanhã"],
                    es=["la del sábado", "el del sábado", "la cita del sábado", "la de mañana"],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,)),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(HAIRCUT_SUN,))),
        ),
    ),
    Scenario(
        name="my_bookings_right_after_booking_lists_the_new_appointment",
        steps=(
            Step(
                say(
                    en=[
                        "manicure tomorrow at 2pm",
                        "nails tmrw 14:00 pls",
                        "Can I book a manicure tomorrow at 2?",
                        "tomorrow 2pm manicure 💅",
                    ],
                    ru=[
                        "маникюр завтра в 14:00",
                        "маникюр на завтра в 14",
                        "можно записаться на маникюр завтра в 2 часа дня?",
                        "завтра в 14.00 маникюр 💅",
                    ],
                    pt=[
                        "manicure amanhã às 14h",
                        "unhas amanha 14:00 pfv",
                        "Dá pra marcar manicure amanhã às 2 da tarde?",
                        "amanhã 14h manicure 💅",
                    ],
                    es=[
                        "manicura mañana a las 14:00",
                        "uñas mañana 14h porfa",
                        "¿Puedo reservar manicura mañana a las 2 de la tarde?",
                        "mañana a las 14 manicura 💅",
                    ],
                ),
                Check(stage=Stage.CONFIRM_BOOK, says=(BOOK_Q,), service="Manicure", day=1, at="14:00"),
            ),
            Step(YES_BOOK, Check(stage=Stage.IDLE, says=(BOOKED,), booked=(Appointment("Manicure", ANY, 1, "14:00"),))),
            Step(
                say(
                    en=["what are my bookings?", "show me my appointments", "so what do i have now?", "my bookings"],
                    ru=["какие у меня записи?", "покажите мои записи", "и что у меня теперь?", "мои записи"],
                    pt=[
                        "quais são meus horários?",
                        "me mostra meus agendamentos",
                        "e agora, o que eu tenho marcado?",
                        "meus agendamentos",
                    ],
                    es=["¿qué citas tengo?", "enséñame mis reservas", "y ahora, ¿qué tengo?", "mis citas"],
                ),
                Check(
                    stage=Stage.IDLE,
                    says=(ONE_APPOINTMENT,),
                    not_says=(BOOK_Q,),
                    booked=(Appointment("Manicure", ANY, 1, "14:00"),),
                ),
            ),
        ),
    ),
    Scenario(
        name="cancel_right_after_a_reminder_with_two_appointments_cancels_the_reminded_one",
        given=(MANICURE_SAT, HAIRCUT_SUN),
        reminded=0,
        steps=(
            Step(
                say(
                    en=[
                        "sorry I can't make it, cancel it please",
                        "cancel it pls",
                        "oh no, I can't come tomorrow, please cancel",
                        "can you cancel this one?",
                    ],
                    ru=[
                        "извините, не смогу прийти, отмените, пожалуйста",
                        "отмените её пожалуйста",
                        "ой, завтра не смогу, отмените",
                        "можно эту отменить?",
                    ],
                    pt=[
                        "desculpa, não vou poder ir, cancela por favor",
                        "cancela pfv",
                        "ah não, amanhã não consigo, cancela por favor",
                        "pode cancelar esse?",
                    ],
                    es=[
                        "perdona, no puedo ir, cancélala por favor",
                        "cancélala porfa",
                        "uy, mañana no puedo, cancela por favor",
                        "¿puedes cancelar esta?",
                    ],
                ),
                Check(stage=Stage.CONFIRM_CANCEL, says=(CANCEL_Q,), not_says=(WHICH_TO_CANCEL,)),
            ),
            Step(YES_CANCEL, Check(stage=Stage.IDLE, says=(CANCELLED,), booked=(HAIRCUT_SUN,))),
        ),
    ),
]

SCENARIOS = [*SIDE_QUESTIONS, *HANDOFFS, *SWITCHES, *EXISTING]
