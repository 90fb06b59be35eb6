"""Fakes at the seams for the tests: servers that speak the real wire formats of external APIs (OpenAI-compatible,
PostgREST, neonize). The fake YClients server is a component of the package (integrations/scheduling/yclients/fake)."""
