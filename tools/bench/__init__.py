"""`make bench`: Terbuka's throughput and latency beside references measured in the same run."""
