"""Benchmarks: figures printed, not asserted."""
