"""Adapters of the core ports: scheduling backends, storage, messaging, LLM."""
