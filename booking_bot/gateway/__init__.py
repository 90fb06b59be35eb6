"""`booking-bot gateway`: WhatsApp sessions (neonize) under Redis leases, inbound dedupe + enqueue, outbound."""
