"""Benchmarks of the generator and of the services it generates (run with `python -m bench`).

Not part of the tests: figures are printed, never asserted. Every comparison is measured side by
side in the same run, over several rounds, and reported as medians with their spread.
"""
