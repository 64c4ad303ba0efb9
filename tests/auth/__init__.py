"""Tests of the auth service, one package per domain."""
