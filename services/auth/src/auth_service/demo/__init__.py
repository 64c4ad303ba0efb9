"""auth_service.demo: the demo badan publik for `make run` (`python -m auth_service.demo`)."""
