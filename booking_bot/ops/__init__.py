"""Operations commands for the people who deploy and run the bot (docs/ops.md): `init-session`,
`test-connection` and `send-inbound`, each `main(argv) -> int`, reachable as `booking-bot <command>` and as
`scripts/<command>.py`."""
