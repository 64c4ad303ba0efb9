"""Tracking: what requesters and officials read of requests (DOMAIN.md 17 rule 3)."""
