"""Cache adapters on Redis."""
