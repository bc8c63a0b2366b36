"""Hardening tier: generated services fuzzed, soaked, fed bad input and stopped under load, over HTTP."""
