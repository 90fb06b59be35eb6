"""Reminders before visits: planning (at booking time), claiming and sending (the scheduler), confirm-by-reply."""
