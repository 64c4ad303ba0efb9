"""Intake: submission, registration numbers, tracking secrets, receipts (DOMAIN.md 8)."""
