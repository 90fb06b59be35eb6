"""Filling the empty chair (issue 19, docs/waitlist.md): the waiting list, no-shows and re-invites, the owner's digest.

| module | holds |
|---|---|
| `offers` | a freed time offered to the next waiting customer it suits, held for them; holds that ended passed on |
| `followups` | visit marks; the `send_followup` job: early confirmation, release, re-invite, the digest's sending |
| `digest` | the owner's figures of a day |
| `rounds` | the scheduler leader's rounds: the event log read, claims queued, digests planned, salons' systems asked |

The dialogue's side (the question "shall I tell you if something frees up?", the answer to an offer) is
booking_bot/dialogue/waitlist.py; the records and their planning are booking_bot/domain/waitlist.py.
"""

from booking_bot.waitlist.followups import record_attendance, send_followup
from booking_bot.waitlist.offers import offer_opening
from booking_bot.waitlist.rounds import WaitlistRounds

__all__ = ["WaitlistRounds", "offer_opening", "record_attendance", "send_followup"]
