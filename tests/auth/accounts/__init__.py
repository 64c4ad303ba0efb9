"""Tests of auth_service.accounts and auth_service.grants."""
