"""The `Store` on SQLite: companies, customers, the inbound/outbound message log, bookings, reminders, events and
webhooks, integration tokens, activity, WhatsApp identities, the waiting list and visits — one module per role port,
composed in `store.py`.

Every table is keyed by `company_id`; every query filters by it. Datetimes are stored as fixed-width UTC
ISO strings (so text order is time order) and come back as aware UTC datetimes.

Thread safety: one connection (`check_same_thread=False`) guarded by one `threading.Lock`; every database
use holds the lock. Files run in WAL mode.
"""

from integrations.storage.sqlite.store import COMPANY_CACHE_SECONDS, SqliteStore

__all__ = ["COMPANY_CACHE_SECONDS", "SqliteStore"]
