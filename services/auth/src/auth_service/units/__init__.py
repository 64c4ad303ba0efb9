"""auth_service.units: the tree of badan publik and their units."""
