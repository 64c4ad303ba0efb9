"""auth_service.grants."""
