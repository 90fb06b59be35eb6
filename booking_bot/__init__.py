"""WhatsApp booking assistant for salons: the core."""
