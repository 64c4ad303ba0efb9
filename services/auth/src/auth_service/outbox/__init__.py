"""auth_service.outbox."""
