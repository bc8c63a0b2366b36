"""HTTP adapter: routes, schemas, error mapping and middleware."""
