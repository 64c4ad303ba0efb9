"""The DIP changes feed and the exports for aggregators."""
