"""Benchmarks (`make bench`): each `bench_*.py` module measures ratios in one run and prints a table."""
