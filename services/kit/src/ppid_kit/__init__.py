"""ppid_kit."""
