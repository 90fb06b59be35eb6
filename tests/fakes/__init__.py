"""Fakes at the seams: servers that speak the real wire formats of external APIs (used by tests and the demo)."""
