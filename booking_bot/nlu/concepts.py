"""The word concepts of stage 1's intent classifier (`classifier.py`): what customers of the four languages say
for cancelling, moving, their own bookings, prices, the salon, free times, a person, thanks, goodbyes, greetings and
off-topic things, as data (`LEXICON`) and as a token index read in one pass over a message (`CONCEPTS`).

They are features like the others: the model learns how much each one counts, and for which intent. A change here
changes the features: train the model again (`scripts/train_intents.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["CONCEPTS", "LEXICON", "Lexicon", "phrase_follows"]

# Word concepts the customers of all four languages use, as tokens of folded text: "a b" is a phrase, "a*" any word
# starting with "a", "^a" only as the first word. They are features like the others: the model learns how much each
# one counts, and for which intent.
LEXICON: dict[str, tuple[str, ...]] = {
    "cancel": (
        "cancel*|call off|call it off|unbook*|delete*|remove*|drop my|can't make|cant make|cannot make|can't come|"
        "cant come|cannot come|won't make|wont make|won't be able|wont be able|unable to make|not coming|"
        "not gonna make|won't be coming|wont be coming|can't attend|cant attend|skip|forget my|forget about|"
        "no longer make|not gonna be able|not going to make|won't make it|take me off|"
        "take my name off|scrap it|scrap my|drop out|won't manage|wont manage|don't think i can make|"
        "dont think i can make|don't think i'll make|dont think ill make",
        "отмен*|не приду|не смогу|не получится|не пойду|не успею|удали*|удалит*|убери*|уберит*|сними*|вычеркн*|отпиш*|"
        "аннулир*|не буду|не выйдет|не прид*|откаж*|отказ*|не сможем|не получ*|"
        "не доед*|не дойд*|вряд ли смогу|вряд ли получится|пропущу|пропустить",
        "cancel*|anul*|borr*|quit*|elimin*|no voy a poder|no podre|no puedo ir|no puedo asistir|no ire|no voy a ir|"
        "no llego|no asistire|desapunt*|dar de baja|olvid*|ya no|imposible|no podre ir|no voy a poder ir|"
        "quita*|quitame*|sacame|no creo que pueda|no creo que llegue|no creo poder|faltar*|falto",
        "cancel*|desmarc*|tira|tirar|tire|apaga*|exclui*|remov*|desist*|nao vou poder|nao vou conseguir|nao vou|"
        "nao posso ir|nao consigo ir|nao vai dar|nao poderei|esquece*|esqueca|faltar|n vou|"
        "furar|fura|nao rola mais|tirar meu nome|tira meu nome",
    ),
    "move": (
        "reschedul*|re - schedul*|postpon*|move*|moving|shift*|push*|swap*|switch*|change*|bring forward|"
        "bring it forward|instead|earlier|later|another day|another time|different day|different time|rebook*|delay*|"
        "bump*|bring * forward|push * back",
        "перенес*|перенест*|перенос*|перезапис*|сдвин*|сдвиг*|подвин*|передвин*|перекин*|помен*|измен*|вместо|пораньше|"
        "попозже|позже|раньше|другой день|другое время|другую дату|переиграть|перестав*|перепис*|перезапиш*|на другое",
        "cambi*|mov*|pasar*|pasame|correr*|corre|adelant*|atras*|reprogram*|aplaz*|pospon*|en vez de|en lugar de|"
        "dejar para|dejarlo para|lo dejamos para|mas tarde|mas temprano|otro dia|otra hora|reagend*|retras*|cambiamelo|"
        "cambiamela|muev*",
        "remarc*|reagend*|mud*|troc*|alter*|adia*|jogar pra|joga pra|passar pra|passa pra|em vez de|ao inves|antecip*|"
        "atrasa*|mais tarde|mais cedo|outro dia|outro horario|outra hora|empurr*|deixa* pra|pra outr*|das * para|"
        "das * pras",
    ),
    "mine": (
        "my appointment*|my appt*|my booking*|my reservation*|my slot|my visit|am i booked|am i in|am i down|"
        "am i scheduled|do i have|did i book|booked in|what time is my|when is my|check my|i have an appointment|"
        "i have a booking|i've got an appointment|i'm booked|im booked|have i got|confirm my|my next|put me in|"
        "book me in|do i still|already have|am i with",
        "моя запис*|мою запис*|мои запис*|моей запис*|моих запис*|я записан*|у меня запис*|у меня есть запис*|"
        "на когда я|когда у меня|во сколько у меня|меня записал*|моя бронь|мою бронь|мои брони|я записыв*|"
        "какой день у меня|на какой день|не помню|проверь*|провер*|напомни*",
        "mi cita|mis citas|mi reserva|mis reservas|mi turno|mis turnos|tengo cita|tengo una cita|tengo alguna cita|"
        "tengo turno|tengo hora|tengo reserva|a que hora tengo|estoy apuntad*|estoy anotad*|estoy reservad*|mi proxima|"
        "tenia cita|tenia hora|tenia turno|me apunte|me apuntaste*|me apuntasteis|no me acuerdo|quedo registrad*|"
        "a nombre de",
        "meu horario|meus horarios|minha marcacao|minhas marcacoes|meu agendamento|meus agendamentos|minha reserva|"
        "tenho horario|tenho algum horario|tenho hora|tenho agendamento|estou marcad*|to marcad*|tou marcad*|"
        "eu marquei|que marquei|marquei|meu proximo|minha proxima|agendad*|ficou pra|ficou para|ficou o|to com horario|"
        "tem horario marcado|tenho marcado|esta marcad*|ta marcad*",
    ),
    "price": (
        "price*|pricing|cost*|how much|how mch|hw much|£|$|€|quid|bucks|cheap*|expensive|pricey|deal|deals|discount*|"
        "fee|fees|charge*|rate|rates|pay for|tariff|damage|extra|included|what would i pay|"
        "owe|set me back|how much will|how much would|what will i pay|paying",
        "сколько стоит|сколько стоят|сколько будет|сколько выйдет|сколько за|стоит|стоят|стоимост*|цен*|прайс*|почем|"
        "руб*|скидк*|дорог*|дорож*|дешев*|дешевл*|по деньгам|по цене|обойд*|обойдет*|сколько с меня|сколько платить|"
        "доплат*|"
        "заплачу|заплатить|по чем",
        "cuanto cuesta|cuanto vale|cuanto sale|cuanto cobr*|cuanto es|cuanto me sale|cuanto saldria|cuanto seria|"
        "cuanto esta|cuanto me cobr*|cuesta|cuestan|precio*|tarifa*|coste|costo*|caro|cara|caros|barat*|descuento*|"
        "euro*|pesos|lucas|promo*|oferta*|cuanto m sale|cuanto me saldria|mas caro|mas barato|"
        "cuanto pago|cuanto tengo que pagar|cuanto hay que pagar|cuanto pagaria|cuanto costaria|"
        "cuanto me costaria",
        "quanto custa|quanto e|quanto fica|quanto sai|quanto cobr*|quanto ta|quanto esta|quanto vou pagar|quanto da|"
        "qto|qnto|qnt|quanto|custa|custam|preco*|valor*|tabela|desconto*|reais|conto|caro|barato|orcamento*|pacote*|"
        "promo*|a mais|mais caro|mais barato|"
        "quanto pago|quanto eu pago|sai quanto|fica quanto|ta quanto",
    ),
    "info": (
        "address|where|located|location|open|opens|opening hours|close|closes|closing|shut|hours|park*|pay|payment|"
        "card|cash|how long|take long|takes|duration|walk in|walk - in|phone number|allerg*|safe|product*|brand*|"
        "do you do|do you offer|accept|finish|policy|bring|arrive|wait inside|nearest|before coming|does * do|do u do|"
        "deposit|refund*|late|minimum age|allowed|voucher*|gift|access|wheelchair|vegan|dog|dogs|pet|pets|"
        "in advance|upfront|about the salon|about you|kind of place",
        "адрес*|где|добрать*|доехать|парков*|работаете|работает|открыт*|открыва*|закрыт*|закрыва*|до скольки|"
        "сколько длится|сколько времени|по времени|занимает|длится|длительн*|оплат*|карт*|налич*|долго|делаете|"
        "какие услуги|улиц*|называ*|стерилиз*|делаете ли|нужно ли|с ребенком|в праздничные|"
        "предоплат*|залог*|штраф*|опозда*|сертификат*|подарочн*|пандус*|коляск*|собак*|животн*|заранее|"
        "материал*|о салоне|про салон|о вас|что за салон",
        "direccion|donde|ubicacion|ubicad*|abren|abre|abris|abrir|abierto*|cierr*|horario*|estacion*|aparca*|parking|"
        "cuanto dura|cuanto tarda|cuanto tiempo|cuanto lleva|cuanto demora|dura|tarda*|demora*|pagar|pago|tarjeta|"
        "efectivo|bizum|hacen|haceis|ofrecen|cerr*|hasta que hora|lejos|domicilio|wifi|politica|"
        "sena|deposito|reembolso|devuelven|devolucion|sin cita|con ninos|perro*|regalo|silla de ruedas|acceso|"
        "vegano*|antelacion|adelantado|me cobran|sobre el salon|sobre vosotros|que tal es el salon",
        "endereco|morada|onde|fica|localiz*|abre|abrem|aberto|fecha|fecham|fechado|funciona*|estaciona*|quanto tempo|"
        "demora*|dura|leva quanto|pagamento|pagar|cartao|pix|dinheiro|fazem|aceita*|debito|credito|ate que horas|"
        "ate q horas|faz * tambem|atende so|diferenca|precisa levar|pode levar|sinal|"
        "reembolso|devolve*|atrasad*|atraso|sem horario|sem marcar|vale presente|cachorro*|acessibilidade|"
        "cadeirante|vegano*|antecedencia|adiantado|multa|crianca*|sobre o salao|sobre vcs|como e o salao",
    ),
    "free": (
        "free|availab*|slot*|space|spaces|room|anything|any time|anytime|earliest|soonest|fit me|squeeze|opening|"
        "openings|booked up|busy|full|spot|spots|when can i|when could i|what times|what days|who's free|anyone|"
        "cancellations|whoever's free|"
        "what time could i|what time can i|any space|have space|fully booked",
        "свобод*|окош*|окн*|окон|есть время|есть ли время|есть места|есть место|места|мест|когда можно|занят*|ближайш*|"
        "впиш*|втисн*|когда есть|какое время|на какое время|в какие дни|кто свободен|есть запись|есть ли запись|"
        "принимает|есть окно|"
        "во сколько можно|во сколько могу|местечк*|найдется",
        "libre*|disponib*|hueco*|espacio|lugar|sitio|hay hora|hay turno|hay cita|hay algo|hay lugar|llen*|"
        "lo mas pronto|cuando puedo|cuando podria|cuando hay|tienen hora|tienen algo|tienen lugar|tenes lugar|"
        "tenes hora|que horas|que dias|quien esta|queda algo|quedan|tenes algo|tendria|que teneis|que tienen|"
        "a que hora puedo|a que hora podria|a que hora me puedo|huequi*|que huecos",
        "livre*|disponiv*|disponibilidade|vaga|vagas|tem horario|tem vaga|tem hora|tem algum|tem lugar|tem espaco|"
        "lotad*|cheio*|encaix*|sobr*|mais cedo possivel|quais horarios|que horarios|que dias|quando posso|quando da|"
        "mais proximo|tem algo|dia q tiver|que dia ela|"
        "que horas posso|que horas eu posso|espacinho",
    ),
    "person": (
        "human|person|someone|somebody|real|staff|manager|owner|reception*|call me|ring me|phone me|give me a call|"
        "give me a ring|agent|operator|talk to|talk with|speak to|speak with|chat with|boss|front desk|bot|robot|"
        "machine|complain*|message me|at the desk|get * to ring|get * to call|text me|write to me|get back to me",
        "человек*|живой|живым|живого|администратор*|админ*|менеджер*|оператор*|позвон*|перезвон*|поговор*|хозя*|"
        "директор*|руководител*|руководств*|пообщ*|связ*|соедин*|набер*|позва*|к телефону|жалоб*|пожалова*|бот|робот|"
        "реальн*|напишите мне|пусть напишет|пусть мне напишет|написал мне",
        "persona|humano|humana|encargad*|recepcion*|responsable|duen*|gerente|agente|llam*|hablar con|pasame con|"
        "me pasas con|alguien|operador*|jefe|jefa|maquina|robot|bot|queja|reclam*|"
        "escribirme|escribame|escribeme|que me escriba|que me conteste",
        "pessoa|humano|humana|atendente|atendimento|recepcao|recepcionista|dono|dona|responsavel|gerente|me liga|liga|"
        "ligar|ligacao|falar com|chama|chamar|alguem|operador*|robo|bot|maquina|gente de verdade|reclama*|queixa|"
        "me escreve|me manda mensagem|me mande mensagem|me responde",
    ),
    "thanks": (
        "thank*|thx|thnx|thanx|ty|tysm|cheers|appreciate*|appreciated|grateful",
        "спасиб*|спс|благодар*|пасиб*|сяб*|сяп|от души|мерси",
        "gracias|agradec*|grax|grasias|thanks",
        "obrigad*|brigad*|obg|vlw|valeu|agradec*",
    ),
    "bye": (
        "bye|byee|goodbye|see you|see ya|see u|cya|later|laters|ttyl|take care|good night|goodnight|night|speak soon|"
        "talk soon|catch you|have a good|have a great|have a nice|x|xx|xxx|until then|gotta go|ciao",
        "пока|покеда|до встречи|до свидания|до завтра|до скорого|до связи|до субботы|до воскресенья|до понедельника|"
        "до вторника|до среды|до четверга|до пятницы|увидимся|всего доброго|всего хорошего|хорошего дня|"
        "хорошего вечера|спокойной ночи|бай|чао",
        "adios|chao|chau|hasta luego|hasta pronto|hasta manana|hasta el|hasta la|hasta entonces|nos vemos|cuidate|"
        "besos|besito*|un beso|abrazo*|buenas noches|bss|bs|me voy",
        "tchau|tchauzinho|ate logo|ate mais|ate amanha|ate breve|ate|falou|abraco*|abs|bjs|bj|beijo*|fui|fica com deus|"
        "xau|flw|te mais",
    ),
    "greet": (
        "^hi|^hello|^hey|^heya|^hiya|^yo|^howdy|^good morning|^good afternoon|^good evening|^morning|^gm|👋|^greetings|"
        "^sup|^hellooo|^helloo|^hii|^heyy|^evening|^afternoon|"
        "^happy new year|^happy easter|^merry|^season's greetings|^happy holidays",
        "^привет*|^здравств*|^здрасьт*|^здрасте|^доброе утро|^добрый день|^добрый вечер|^доброго|^хай|^салют|^прив|"
        "^здаров*|^здоров*|^хеллоу|^хелло|"
        "^с новым годом|^с праздник*|^с наступающ*|^с рождеством",
        "^hola|^holi|^buenas|^buen dia|^buenos dias|^que tal|^saludos|^ey|^que pasa|^wenas|"
        "^feliz ano|^felices fiestas|^feliz navidad",
        "^ola|^oi|^oie|^oii|^bom dia|^boa tarde|^boa noite|^eae|^eai|^e ai|^opa|^salve|^fala|"
        "^feliz ano novo|^feliz natal|^feliz pascoa|^boas festas",
    ),
    "offtopic": (
        "pizza|weather|http*|www|click|prize|win|winner|iphone|lottery|crypto|bitcoin|hiring|job|jobs|wrong number|"
        "selling|investment|sell|plumber|game|who won|dog food",
        "погод*|ваканс*|пицц*|не туда|розыгрыш*|выигр*|приз|кредит*|заработ*|продаете|продаю|матч|купи|без вложений",
        "clima|que tiempo hace|trabajo|equivocad*|numero equivocado|premio|sorteo|farmacia|partido|calor",
        "emprego|vaga de|pizza*|premio|ganhou|sorteio|numero errado|engano|vende*|vendo|ganhe|clique|link|chover|"
        "troquei de numero",
    ),
}


class Lexicon:
    """`LEXICON` as token indexes: the concepts of a token sequence in one pass over it."""

    def __init__(self, table: Mapping[str, Iterable[str]]) -> None:
        # first token (exact, or the stem of a prefix entry) -> (concept, first is a prefix, rest, only at start)
        self.exact: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        self.stems: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        for concept, lines in table.items():
            for entry in "|".join(lines).split("|"):
                at_start = entry.startswith("^")
                words = tuple(entry.lstrip("^").split())
                first, rest = words[0], words[1:]
                if first.endswith("*"):
                    self.stems.setdefault(first[:-1], []).append((concept, rest, at_start))
                else:
                    self.exact.setdefault(first, []).append((concept, rest, at_start))
        self.stem_lengths = sorted({len(s) for s in self.stems})

    def concepts(self, toks: Sequence[str], start: int) -> set[str]:
        """The concepts named in `toks`; `start` is the index of the first word (leading punctuation skipped)."""
        hits: set[str] = set()
        for i, tok in enumerate(toks):
            for concept, rest, at_start in self.candidates(tok):
                if concept in hits or (at_start and i != start):
                    continue
                if not rest or phrase_follows(rest, toks, i + 1):
                    hits.add(concept)
        return hits

    @functools.lru_cache(maxsize=8192)  # noqa: B019 (one lexicon, alive as long as the module)
    def candidates(self, tok: str) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
        """The entries whose first word `tok` is."""
        found = list(self.exact.get(tok, ()))
        for n in self.stem_lengths:
            if n > len(tok):
                break
            found += self.stems.get(tok[:n], ())
        return tuple(found)


def phrase_follows(rest: Sequence[str], toks: Sequence[str], at: int) -> bool:
    """The words of `rest` (a trailing "*" for any ending) stand in `toks` from index `at` on."""
    if at + len(rest) > len(toks):
        return False
    for pattern, tok in zip(rest, toks[at : at + len(rest)], strict=True):
        if not (tok.startswith(pattern[:-1]) if pattern.endswith("*") else tok == pattern):
            return False
    return True


CONCEPTS = Lexicon(LEXICON)  # the index `classifier.features` reads
