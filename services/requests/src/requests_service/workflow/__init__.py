"""The request state machine (DOMAIN.md 9), written notices, refusal decrees and fees."""
