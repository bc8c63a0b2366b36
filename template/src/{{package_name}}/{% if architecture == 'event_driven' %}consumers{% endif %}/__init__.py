"""Inbound adapters for messages: consumers turn the broker's messages into use case calls.

Like api/ for HTTP, they know the message format and nothing of the adapters; the worker
subscribes them to the broker's channels (worker.py).
"""
