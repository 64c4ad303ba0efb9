"""Tests of the registry's demo."""
