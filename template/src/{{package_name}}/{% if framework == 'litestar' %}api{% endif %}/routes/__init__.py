"""Route handlers; create_api registers each router and controller."""
