"""WhatsApp through neonize: client factory, session state machine, event mapping."""
