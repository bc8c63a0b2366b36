"""Application layer: one use case per module, the ports it needs, and its errors."""
