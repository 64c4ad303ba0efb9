"""Tests of the registry's freshness."""
