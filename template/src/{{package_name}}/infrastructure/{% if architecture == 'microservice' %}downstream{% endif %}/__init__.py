"""The HTTP adapter of the downstream service port, and its service-to-service authentication."""
