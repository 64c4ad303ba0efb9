"""Requesters' identity: NIK validation and protection, identity scans (DOMAIN.md 7, 17)."""
