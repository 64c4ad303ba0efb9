"""auth_service.accounts."""
