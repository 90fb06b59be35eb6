"""A simulated WhatsApp channel: records what was sent (the demo chat and the tests read it)."""

from __future__ import annotations

import threading

from booking_bot.domain import OutboundMessage


class SimulatedChannel:
    """Keeps sent messages in memory, in order. Safe to use from several threads."""

    def __init__(self, keep_last: int = 10_000) -> None:
        self._keep_last = keep_last
        self._sent: list[OutboundMessage] = []
        self._lock = threading.Lock()

    async def send(self, message: OutboundMessage) -> None:
        with self._lock:
            self._sent.append(message)
            del self._sent[: max(0, len(self._sent) - self._keep_last)]

    def sent(self, company_id: str | None = None, chat_id: str | None = None) -> list[OutboundMessage]:
        with self._lock:
            return [
                m
                for m in self._sent
                if (company_id is None or m.company_id == company_id) and (chat_id is None or m.chat_id == chat_id)
            ]
