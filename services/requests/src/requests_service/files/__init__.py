"""Private files of requests: identity scans, powers of attorney, delivered information."""
