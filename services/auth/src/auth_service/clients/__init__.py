"""auth_service.clients."""
