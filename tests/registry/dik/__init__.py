"""Tests of the registry's dik."""
