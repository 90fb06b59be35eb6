"""Messaging channels: where replies go."""
