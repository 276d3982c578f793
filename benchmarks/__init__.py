"""Benchmarks (placeholder docstring)."""
