"""Tests of the registry object stores, run against both backends."""
