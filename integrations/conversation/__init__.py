"""Conversation state and per-conversation locks: in memory (demo, unit tests) and in Redis (production)."""
