"""auth_service.requesters."""
