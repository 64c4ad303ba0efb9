"""registry_service.demo: the demo DIP for `make run` (`python -m registry_service.demo`)."""
