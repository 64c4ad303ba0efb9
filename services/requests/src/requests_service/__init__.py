"""requests_service."""
