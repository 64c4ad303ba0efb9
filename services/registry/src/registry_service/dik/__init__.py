"""Exempted information (DIK) and consequence tests."""
