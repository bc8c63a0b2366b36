"""Infrastructure layer: adapters that implement the application's ports with real technology."""
