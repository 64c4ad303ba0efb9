"""The demo badan publik's working calendar for `make run` (`python -m requests_service.demo`)."""
