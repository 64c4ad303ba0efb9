"""auth_service.tokens."""
