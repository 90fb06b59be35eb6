"""Stage 1's regex signals, one table per language (over folded text): the rules' reading that `intents.classify`
combines with the dialogue state and the classifier takes as features. Kept apart from intents.py for its length."""

from __future__ import annotations

import re

__all__ = ["SIGNALS"]


def _r(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_EN = {
    "greet": _r(r"^\W*(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|greetings)\b"),
    "thanks": _r(r"\b(?:thank|thanks|thx|thnx|ty|tank\s+you|appreciate|grateful)\b"),
    "bye": _r(
        r"\b(?:bye|goodbye|good-bye|see\s+you|see\s+ya|have\s+a\s+(?:good|great|nice)\s+(?:day|one|evening|night)|"
        r"that(?:'s|\s+is|\s+will\s+be|\s+would\s+be|'ll\s+be|\s+should\s+be)\s+(?:all|it)\b|"
        r"(?:it'?s|is)\s+all\b|nothing\s+(?:else|more)|all\s+for\s+now|i'?m\s+(?:all\s+)?(?:done|good|set)|"
        r"that\s+(?:was|is)\s+all|no\s+more|all\s+i\s+need(?:ed)?)"
    ),
    "affirm_lead": _r(
        r"^\W*(?:yes|yeah|yea|yep|yup|ya|yah|sure|ok|okay|okey|k|alright|all\s+right|right|correct|exactly|"
        r"absolutely|definitely|certainly|of\s+course|indeed|perfect|great|good|fine|cool|sounds|awesome|"
        r"excellent|wonderful|affirmative|confirm|confirmed|please\s+do|go\s+ahead|do\s+it|let'?s\s+do|"
        r"that(?:'s|\s+is)\s+(?:good|great|fine|perfect|correct|right|ok|okay|it)|works|agreed|"
        r"that\s+(?:works|sounds|would|will|one|doctor|dentist|salon|therapist|place|is|time)|this\s+(?:one|works|is)|"
        r"it\s+(?:is|does|works|can)|👍)"
    ),
    "affirm_any": _r(
        r"\b(?:sounds\s+(?:good|great|perfect|fine|nice|wonderful|right|ok|okay|correct)|"
        r"works\s+(?:for|with)\s+me|that\s+works|(?:that|this|it)\s+(?:is|'s|would\s+be|will\s+be)\s+(?:good|great|fine|"
        r"perfect|correct|ok|okay|right|nice|wonderful)|(?:that|it)'s\s+(?:good|great|fine|perfect|correct|right)|"
        r"all\s+(?:good|correct)|is\s+correct|go\s+with|works\s+fine|suits\s+me|i'?ll\s+take|book\s+the|"
        r"(?:visit|choose|pick|want|like|prefer)\s+(?:this|that)\s+(?:one|doctor|dentist|salon|therapist|place)|"
        r"that\s+one|this\s+one|the\s+(?:first|second|third|last)\s+one|i\s+confirm|should\s+do|"
        r"sounds?\s+(?:like\s+a\s+)?(?:good|great|winner|perfect|fine|nice)|seems?\s+(?:good|great|fine|like|an?\s+)|"
        r"agreeable|checks\s+out|go\s+there|go\s+with\s+(?:them|that|this|it)|"
        r"(?:like|want|choose|pick|prefer|take)\s+(?:that|this|them|it)\b|^\W*nice\b|that'?s\s+(?:good|great|fine))"
    ),
    "deny_lead": _r(
        r"^\W*(?:no|nope|nah|not\s+(?:really|now|right\s+now|yet|at\s+the\s+moment|today|interested)|negative|"
        r"never\s*mind|nevermind|wrong|incorrect|wait|actually|i\s+(?:don'?t|do\s+not)|i\s+changed\s+my\s+mind)\b"
    ),
    "deny_any": _r(
        r"\b(?:(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+(?:want|need|work|think|like)|won'?t\s+work|"
        r"will\s+not|not\s+(?:good|okay|ok|correct|right|interested|now|necessary|needed|suitable|what)|"
        r"maybe\s+later|possibly\s+later|later\s+on|can'?t\s+make|cannot\s+make|no\s+need|not\s+for\s+now|"
        r"it'?s\s+not\s+ok|is\s+not|isn'?t|none\s+of\s+(?:them|those|these|the)|neither\s+(?:of|one))\b"
    ),
    "alternatives": _r(
        r"\b(?:someone|somebody|something|anything|anyone|anybody|somewhere|any\s*where|what)\s+else\b",
        r"\belsewhere\b",
        r"\b(?:other|another|different|more)\s+(?:one|ones|options?|choices?|providers?|dentists?|doctors?|"
        r"salons?|therapists?|places?|stylists?|suggestions?|results?|recommendations?|locations?|"
        r"professionals?|psychiatrists?|psychologists?|counselors?|specialists?|time|times|slots?|days?)\b",
        r"\bany\s+others?\b|\b(?:an)?other\s+(?:one|choice)\b|\banother\b\W*$|\bothers\b|\bnext\s+one\b",
        r"\b(?:look|search|find|try)\s+(?:again|more)\b|\bkeep\s+looking\b|\bsomeone\s+(?:in|near|around)\b",
        r"\bwho\s+else\b|\bsome\s+one\s+else\b",
    ),
    "info": _r(
        r"\b(?:address|addresses|directions|phone|contacts?|(?<!\d\s)number|ratings?|rated|reviews?|stars|"
        r"website|opening\s+hours|open\s+hours|hours\s+of|how\s+late|details|whereabouts|"
        r"when\s+(?:do|does|are)\s+(?:you|they)\s+(?:open|close)|where\s+(?:is|are|they|it|'s)|where'?s|parking)\b",
        r"\b(?:do|does|is|are|will|would|can)\s+(?:they|it|he|she|that|this|the\s+\w+)\s+(?:\w+\s+){0,2}"
        r"(?:cosmetic|unisex|men\s+and\s+women|located)",
        r"\bis\s+(?:it|that|this|the\s+\w+)\s+(?:a\s+)?(?:unisex|for\s+both)|\b(?:located|location)\b\W*$",
    ),
    "search": _r(
        r"\b(?:find|look\s+for|looking\s+for|look\s+in|looking\s+in|search|show\s+me|recommend|"
        r"check\s+(?:in|for)|(?:how|what)\s+about\s+in|try\s+(?:looking\s+)?in|need\s+(?:a|an|one)|want\s+(?:a|an|one)|"
        r"(?:would|'d)\s+like\s+(?:a|an|one)|any\s+\w+\s+in)\b"
    ),
    "prices": _r(r"\b(?:price|prices|pricing|cost|costs|how\s+much|fee|fees|charge|rate\s+for|expensive|cheap)\b"),
    "cancel": _r(r"\b(?:cancel|cancell?ation|cancell?ed|call\s+off|drop\s+my\s+(?:appointment|booking))"),
    "reschedule": _r(
        # "put my manicure on monday": one's own thing put on another day (not "put my son down for a cut")
        r"\bput\s+my\s+(?!name|son|daughter|kids?|husband|wife|partner|friend|mum|mom|dad|boyfriend|girlfriend)"
        r"\w+(?:\s+\w+)?\s+(?:on|to|till|until)\b|\b(?:switch|swap)\s+my\s+(?:\w+\s+)?(?:appointment|appt|booking)\b",
        r"\b(?:reschedul\w*|re-schedul\w*|postpone|push\s+back|"
        r"(?:move|change|shift)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:appointment|appt|booking|visit|reservation)|"
        r"(?:move|shift)\s+(?:it|that|this|me)\s+(?:to|for|till|until|on)\b|can\s+(?:you|i|we)\s+move\s+(?:it|that)|"
        # "move my haircut to friday": the thing said, then where it goes
        r"(?:move|shift|push)\s+(?:my|the)\s+\w+(?:\s+\w+)?\s+to\b)\b",
    ),
    "my_bookings": _r(
        r"\bremind\s+me\s+(?:what|when|of|about)\b.{0,30}\b(?:appointments?|bookings?|booked|have)\b"
        r"|\bwhat\s+(?:appointments|bookings)\s+(?:do\s+)?i\s+have\b|\bdo\s+i\s+have\s+anything\s+(?:booked|on)\b",
        r"\b(?:my|our)\s+(?:appointments|bookings|reservations|upcoming)\b",
        r"\bwhen\s+is\s+my\s+(?:appointment|booking|visit)\b|\bdo\s+i\s+have\s+(?:an?|any)\s+(?:appointment|booking)",
        r"\bam\s+i\s+(?:booked|scheduled)\b",
    ),
    "handoff": _r(
        r"\b(?:a|some|real)\s+(?:person|human|one)\s+(?:\w+\s+){0,2}(?:write|text|message|reply|answer)\s+(?:to\s+)?me\b"
        r"|\b(?:someone|somebody)\s+(?:\w+\s+){0,3}(?:write|text|message)\s+(?:to\s+)?me\b",
        r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|some)?\s*(?:human|person|real|manager|someone|"
        r"operator|agent|staff|receptionist|admin)",
        r"\b(?:real|live)\s+(?:person|human|agent)\b|\bhuman\s+(?:please|agent)\b|\bcall\s+me\b|\boperator\b",
    ),
    "book": _r(
        r"\bget\s+(?:my|a)\s+(?:nails|hair|brows|eyebrows|beard|roots|colour|color)\s+(?:done|cut|trimmed|coloured|colored)\b",
        r"\b(?:book|booking|booked|appointment|appt|schedule|scheduled|reserve|reservation|sign\s+me\s+up|"
        r"make\s+(?:it|one|that)|set\s+(?:it|one|up)|get\s+me\s+in|fit\s+me|squeeze|slot\s+me|visit|"
        r"haircut|hair\s*cut|cut|dentist|doctor|therapist|salon|stylist|barber|checkup|check-up|"
        r"psychiatrist|psychologist|counselor|ophthalmologist|dermatologist|gynecologist|orthodontist|"
        r"find|looking\s+for|look\s+for|search|need\s+(?:a|an|to)|want\s+(?:a|an|to)|"
        r"would\s+like|i'?d\s+like|go\s+to|try|change\s+(?:it|the|that)|instead|prefer|"
        r"(?:how|what)\s+about|can\s+you\s+do|do\s+you\s+have|is\s+there|available|opening|openings|free)\b",
    ),
    "availability": _r(
        r"\b(?:what|which|when)\s+(?:times?|days?|slots?|dates?|hours?)\s+(?:are|is|do)\b",
        r"\bwhat(?:'s|\s+is)\s+(?:available|free|open)\b|\bany\s+(?:free|open|available)\s+(?:slots?|times?|spots?)\b",
        r"\bwhen\s+(?:are|is)\s+\w+\s+(?:free|available)\b|\bavailability\b",
    ),
}

_RU = {
    "greet": _r(r"^\W*(?:привет|здравствуй\w*|здрасьте|добр\w+\s+(?:день|утро|вечер)|доброго\s+\w+|хай|салют)"),
    "thanks": _r(r"\b(?:спасибо|спасиб|благодар\w*|спс|сяб)"),
    "bye": _r(
        r"\b(?:пока|до\s+свидания|до\s+встречи|всего\s+(?:доброго|хорошего)|хорошего\s+дня|это\s+все|больше\s+ничего)"
    ),
    "affirm_lead": _r(
        r"^\W*(?:да|ага|угу|ок|окей|оке|ok|okay|хорошо|хор|конечно|давай\w*|подходит|отлично|супер|верно|"
        r"точно|норм\w*|годится|пойдет|согласен|согласна|именно|ладно|идет|записывай\w*|подтверждаю|👍)"
    ),
    "affirm_any": _r(
        r"\b(?:подходит|устраивает|меня\s+устроит|годится|то\s+что\s+надо|первый|второй|третий|последний)\b"
    ),
    "deny_lead": _r(r"^\W*(?:нет|неа|не\s+надо|не\s+нужно|не\s+подходит|не\s+получится|не\s+могу|не\s+хочу|отбой)"),
    "deny_any": _r(
        r"\b(?:не\s+подходит|не\s+устраивает|не\s+получится|не\s+смогу|не\s+надо|не\s+нужно|не\s+хочу|"
        r"ни\s+(?:один|одно|одна|тот)|никак\w+\s+из|ничего\s+из)\b"
    ),
    "alternatives": _r(
        r"\b(?:друг\w+|ещ[её]\s+(?:вариант\w*|время|мастер\w*|что-?нибудь)|что\s+ещ[её]|кто\s+ещ[её]|иначе|"
        r"а\s+ещ[её])"
    ),
    "info": _r(
        r"\b(?:расскаж\w*|рассказать|поведайте)\s+(?:\w+\s+){0,2}(?:о|об|про)\s+(?:ваш\w*\s+)?(?:салон\w*|вас|себе)\b"
        r"|\bчто\s+(?:у\s+вас\s+)?за\s+салон\b",
        r"\b(?:адрес\w*|где\s+(?:вы|находит\w*|это)|телефон\w*|как\s+(?:добраться|проехать|найти)|"
        r"часы\s+работы|режим\s+работы|до\s+скольки|во\s+сколько\s+(?:открыва|закрыва)\w*|парковк\w*|"
        r"отзыв\w*|рейтинг\w*)",
    ),
    "prices": _r(r"\b(?:сколько\s+стоит|стоимост\w*|цен[аыуе]\w*|прайс\w*|почем|сколько\s+будет\s+стоить|расценк\w*)"),
    "cancel": _r(r"\b(?:отмен\w*|не\s+приду|не\s+смогу\s+прийти|снимите\s+запись|удалите\s+запись)"),
    "reschedule": _r(
        r"\b(?:поменя\w*|измени\w*|сменить)\s+(?:мне\s+)?(?:мою\s+|свою\s+|эту\s+)?запис[ьи]\b",
        r"\b(?:перенес\w*|перенест\w*|перезапис\w*|сдвин\w*|передвин\w*|поменять\s+время|изменить\s+время)",
    ),
    "my_bookings": _r(
        r"\b(?:напомните|напомни)\b.{0,30}\b(?:запис\w*|когда\s+я)|\bу\s+меня\s+(?:уже\s+)?(?:есть\s+)?(?:что-то|что-нибудь|какие-то)\s+запис",
        r"\b(?:мо[ия]\s+запис\w*|когда\s+я\s+записан\w*|на\s+когда\s+я|я\s+записан\w*|куда\s+я\s+записан)",
    ),
    "search": _r(r"\b(?:найд\w*|найти|поищ\w*|ищу)"),
    "handoff": _r(
        r"\b(?:человек|кто-нибудь|кто-то|сотрудник\w*)\s+(?:\w+\s+){0,3}(?:написать|ответить|напишет|ответит)\b",
        r"\b(?:оператор\w*|администратор\w*|живо\w+\s+человек\w*|менеджер\w*|позвоните|перезвоните|"
        r"с\s+человеком)",
    ),
    "book": _r(
        r"\b(?:запиш\w*|запис\w*|забронир\w*|хочу|можно|нужн\w*|надо|стрижк\w*|маникюр\w*|педикюр\w*|"
        r"окраш\w*|к\s+мастеру|приду|прийти|подойти)"
    ),
    "availability": _r(
        r"\b(?:свободн\w*|окошк\w*|окно|окна|есть\s+ли\s+время|есть\s+время|когда\s+можно|"
        r"какое\s+время|когда\s+есть)"
    ),
}

_ES = {
    "greet": _r(r"^\W*(?:hola|buen(?:os|as)(?:\s+(?:dias|tardes|noches))?|saludos|que\s+tal)\b"),
    "thanks": _r(r"\b(?:gracias|(?:te|se|les?|os)\s+(?:lo\s+)?agradezco|se\s+agradece|agradecid[oa])\b"),
    "bye": _r(
        r"\b(?:adios|hasta\s+(?:luego|pronto|manana|la\s+vista)|chao|chau|nos\s+vemos|eso\s+es\s+todo|nada\s+mas|"
        r"es\s+todo)\b"
    ),
    "affirm_lead": _r(
        r"^\W*(?:si|sip|claro|vale|va|ok|okay|okey|de\s+acuerdo|perfecto|correcto|exacto|bien|muy\s+bien|dale|genial|"
        r"bueno|listo|por\s+supuesto|por\s+favor|confirmo|confirmado|hecho|me\s+(?:va|viene|sirve|parece)\s+bien|"
        r"esa|ese|esta\s+bien|estupendo|excelente|👍)\b"
    ),
    "affirm_any": _r(
        r"\b(?:me\s+sirve|esta\s+bien|me\s+(?:va|viene|parece)\s+(?:bien|perfecto)|me\s+quedo\s+con|"
        r"(?:el|la)\s+(?:primer[oa]|segund[oa]|tercer[oa])(?:\s+(?:opcion|hora))?|esa\s+hora|ese\s+dia|perfecto)\b"
    ),
    "deny_lead": _r(r"^\W*(?:no|nop|nah|para\s+nada|mejor\s+no|negativo|nada|tampoco)\b"),
    "deny_any": _r(
        r"\b(?:no\s+(?:quiero|puedo|me\s+(?:sirve|va|viene|interesa|conviene)|gracias|hace\s+falta|es\s+necesario)|"
        r"mejor\s+no|ningun[oa]?\s+(?:me\s+)?(?:sirve|va|viene|cuadra|conviene|gusta)|ningun[oa]\s+de|ni\s+un[oa]\s+ni)\b"
    ),
    "alternatives": _r(
        r"\b(?:otr[oa]s?\s+(?:hora|horas|horario|dia|dias|opcion\w*|fecha|momento|profesional|peluquer[oa]|persona)|"
        r"alguien\s+mas|algo\s+mas\s+(?:tarde|temprano)|mas\s+(?:tarde|temprano)\s*\?|hay\s+otr[oa]s?|"
        r"alguna\s+otra|otras?\s+opciones)\b"
    ),
    "info": _r(
        r"\b(?:cuentame|cuentenos|cuenteme|contadme|hablame|hableme)\s+(?:\w+\s+){0,2}(?:del|sobre\s+el|de\s+vuestro|de\s+su)\s+"
        r"(?:salon|local|sitio|peluqueria)\b",
        r"\b(?:direccion|donde\s+(?:estan|esta|queda|quedan)|telefono|horario\s+de\s+(?:apertura|atencion)|"
        r"a\s+que\s+hora\s+(?:abren|cierran)|como\s+(?:llego|llegar)|aparcamiento|estacionamiento|ubicacion)\b",
    ),
    "prices": _r(
        r"\b(?:cuanto\s+(?:cuesta|vale|sale|cobran|es|seria|pago|tengo\s+que\s+pagar|hay\s+que\s+pagar)|precios?|"
        r"tarifas?|coste|costo)\b"
    ),
    "cancel": _r(r"\b(?:cancel\w*|anul\w*|no\s+(?:voy\s+a\s+poder|podre)\s+(?:ir|venir|asistir))\b"),
    "reschedule": _r(
        r"\b(?:cambiala|cambialo|cambiamela|cambiamelo|muevela|muevelo|muevemela|pasala|pasalo|pasamela|pasamelo|"
        r"cambiarmela|pasarmela|moverme\s+la\s+cita)\b",
        r"\b(?:(?:cambiar|mover|pasar|modificar)\s+(?:mi\s+|la\s+)?(?:cita|reserva|hora|turno)|reprogram\w*|aplaz\w*|"
        r"pospon\w*|cambiarla|moverla|pasarla|"
        # "pasar la manicura al viernes", "cambiame el corte para el lunes"
        r"(?:pasar|pasa|pasame|mover|mueve|cambiar|cambia|cambiame)\s+(?:el|la|mi)\s+\w+(?:\s+\w+)?\s+"
        r"(?:al|para\s+el|para\s+la|a\s+la|a\s+las))\b",
    ),
    "my_bookings": _r(
        r"\b(?:recuerdame|recuerdeme|me\s+recuerdas)\b.{0,20}\b(?:citas?|reservas?|turnos?|tengo)\b"
        r"|\bque\s+(?:citas|reservas|turnos)\s+tengo\b|\btengo\s+algo\s+(?:reservado|apuntado)\b",
        r"\b(?:mis\s+(?:citas|reservas|turnos)|(?:cuando|a\s+que\s+hora)\s+(?:es|tengo)\s+mi\s+(?:cita|turno|reserva)|"
        r"tengo\s+(?:alguna\s+)?(?:cita|reserva|turno)\b)",
    ),
    "search": _r(r"\b(?:buscar|busca|encuentra|busco)\b"),
    "handoff": _r(
        r"\b(?:escribirme|escribame|escribeme|contestarme|responderme)\b.{0,25}\b(?:persona|alguien|humano)\b"
        r"|\b(?:persona|alguien|humano)\b.{0,25}\b(?:escribirme|escribame|me\s+escriba|contestarme|responderme)\b",
        r"\b(?:hablar\s+con\s+(?:una\s+persona|alguien|un\s+humano|el\s+encargad[oa]|recepcion|un\s+agente)|"
        r"llamame|llamadme|persona\s+real|operador\w*)\b",
    ),
    "book": _r(
        r"\b(?:me\s+(?:das|da|dais|dan|puedes\s+dar|podrias\s+dar)\s+(?:una\s+)?hora|dame\s+hora)\b",
        r"\b(?:se\s+puede|se\s+podria|hay\s+forma|habria\s+forma)\s*\??\s*$",
        r"\b(?:reserv\w*|cita|agendar|quiero|quisiera|me\s+gustaria|necesito|turno|pedir\s+hora|apunta\w*|"
        r"corte|cortarme|manicura|pedicura|tinte|unas|peinado|puedo\s+ir|ir\s+(?:el|a\s+las|manana|hoy))\b",
    ),
    "availability": _r(
        r"\b(?:disponible\w*|disponibilidad|libre\w*|hueco\w*|hay\s+hora|que\s+horas?\s+(?:tienen|tienes|hay)|"
        r"tienen\s+(?:hora|sitio|algo))\b"
    ),
}

_PT = {
    "greet": _r(r"^\W*(?:ola|oi|oie|bom\s+dia|boa\s+(?:tarde|noite)|e\s+ai|opa|salve)\b"),
    "thanks": _r(r"\b(?:obrigad[oa]|brigad[oa]|valeu|agradeco|grat[oa])\b"),
    "bye": _r(r"\b(?:tchau|ate\s+(?:logo|mais|breve|amanha)|falou|so\s+isso|e\s+so|era\s+so\s+isso|nada\s+mais)\b"),
    "affirm_lead": _r(
        r"^\W*(?:sim|s|claro|ok|okay|certo|perfeito|beleza|blz|pode\s+ser|pode|combinado|fechado|isso|"
        r"isso\s+mesmo|ta\s+bom|ta|ta\s+otimo|otimo|bom|show|com\s+certeza|confirmo|confirmado|esta\s+bem|"
        r"tudo\s+bem|exato|positivo|bora|vamos|serve|esse|essa|👍)\b"
    ),
    "affirm_any": _r(
        r"\b(?:pode\s+marcar|pode\s+agendar|(?:me\s+)?serve|fica\s+bom|ta\s+(?:bom|otimo|perfeito)|"
        r"(?:o|a)\s+(?:primeir[oa]|segund[oa]|terceir[oa])\s+(?:opcao|horario)|esse\s+horario|pra\s+mim\s+(?:ta|esta)\s+bom)\b"
    ),
    "deny_lead": _r(r"^\W*(?:nao|n|nem|negativo|melhor\s+nao|de\s+jeito\s+nenhum)\b"),
    "deny_any": _r(
        r"\b(?:nao\s+(?:quero|posso|consigo|da|vai\s+dar|serve|precisa|obrigad[oa])|melhor\s+nao|nao,?\s+obrigad[oa]|"
        r"nenhum[a]?\s+(?:me\s+)?(?:serve|da|rola|funciona)|nenhum[a]?\s+d[eoa]s?|nem\s+um[a]?\s+nem)\b"
    ),
    "alternatives": _r(
        r"\b(?:outr[oa]s?\s+(?:horarios?|hora|dias?|opc(?:ao|oes)|datas?|profissional|pessoa|cabeleireir[oa])|"
        r"mais\s+(?:tarde|cedo)\s*\?|tem\s+outr[oa]s?|alguma\s+outra|alguem\s+mais)\b"
    ),
    "info": _r(
        r"\b(?:me\s+)?(?:fala|conta|conte|fale)\s+(?:\w+\s+){0,2}(?:(?:do|sobre\s+o)\s+(?:salao|espaco)|(?:de|sobre)\s+(?:voces|vcs))\b",
        r"\b(?:endereco|onde\s+(?:fica|voces\s+ficam|e\s+o\s+salao)|telefone|horario\s+de\s+funcionamento|"
        r"que\s+horas\s+(?:abre|fecha|abrem|fecham)|como\s+chego|como\s+chegar|estacionamento|localizacao)\b",
    ),
    "prices": _r(r"\b(?:quanto\s+(?:custa|e|fica|sai|cobra\w*)|precos?|valor(?:es)?|tabela)\b"),
    "cancel": _r(r"\b(?:cancel\w*|desmarc\w*|nao\s+(?:vou|vou\s+conseguir)\s+(?:poder\s+)?(?:ir|comparecer))\b"),
    "reschedule": _r(
        r"\b(?:remarc\w*|reagend\w*|adiar|(?:mudar|trocar|alterar|passar)\s+(?:o\s+|a\s+|meu\s+|minha\s+)?"
        r"(?:horario|hora|data|dia|agendamento|marcacao)|"
        # "passar o corte pra terça", "joga minha unha pro sábado"
        r"(?:passar|passa|jogar|joga|mudar|muda)\s+(?:o|a|meu|minha)\s+\w+(?:\s+\w+)?\s+(?:pra|para|pro))\b"
    ),
    "my_bookings": _r(
        r"\b(?:ja\s+)?tenho\s+(?:algo|alguma\s+coisa|algum\s+horario)\s+(?:marcad[oa]|agendad[oa])\b"
        r"|\bme\s+lembra\b.{0,20}\b(?:horarios?|marcad[oa]s?|agendamentos?)\b",
        r"\b(?:meus\s+(?:agendamentos|horarios)|minhas\s+marcacoes|(?:quando|que\s+horas)\s+e\s+(?:o\s+)?meu\s+horario|"
        r"tenho\s+(?:algum\s+)?(?:horario|agendamento)\s+marcado)\b",
    ),
    "search": _r(r"\b(?:procurar|procuro|buscar|busco)\b"),
    "handoff": _r(
        r"\b(?:uma\s+pessoa|alguem|um\s+humano)\s+(?:\w+\s+){0,2}(?:me\s+)?(?:escrever|responder|escreve|responde)\b",
        r"\b(?:falar\s+com\s+(?:uma\s+pessoa|alguem|um\s+humano|atendente|o\s+gerente|a\s+gerente|a\s+recepcao)|"
        r"atendente|me\s+liga|pessoa\s+real)\b",
    ),
    "book": _r(
        r"\b(?:marcar|agendar|agenda|reserv\w*|horario|quero|queria|gostaria|preciso|corte|cortar|unhas|manicure|"
        r"pedicure|escova|progressiva|tintura|luzes|sobrancelha|vaga|da\s+pra\s+(?:ir|ser))\b"
    ),
    "availability": _r(
        r"\b(?:disponive\w*|disponibilidade|livre\w*|vagas?|tem\s+horario|quais\s+horarios|que\s+horas\s+tem|"
        r"tem\s+(?:vaga|hora))\b"
    ),
}

SIGNALS: dict[str, dict[str, re.Pattern[str]]] = {"en": _EN, "ru": _RU, "es": _ES, "pt": _PT}
