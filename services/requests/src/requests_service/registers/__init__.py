"""The register of requests (DOMAIN.md 8.7): per unit or root and year, CSV or XLSX."""
