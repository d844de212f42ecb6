"""Benchmarks for Chronomap: `make bench` prints one JSON object of timings and sizes.

Every measurement runs in its own subprocess with a time limit, so a slow or
hung step is reported as null with a reason instead of stopping the run.
"""
