"""Requesters: registration, email links, password reset, profile, deletion; the outbox."""
