"""DIP entries: the public DIP, the officials' writes and the lifecycle (DOMAIN.md 5)."""
