"""The production store: Supabase (PostgreSQL behind PostgREST). See docs/supabase.md."""

from integrations.storage.supabase.errors import (
    StoreAuthError,
    StoreError,
    StoreRejected,
    StoreUnavailable,
    UniqueViolation,
)
from integrations.storage.supabase.store import SupabaseStore

__all__ = [
    "StoreAuthError",
    "StoreError",
    "StoreRejected",
    "StoreUnavailable",
    "SupabaseStore",
    "UniqueViolation",
]
