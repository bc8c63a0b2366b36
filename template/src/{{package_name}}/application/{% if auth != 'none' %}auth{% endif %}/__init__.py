"""Who calls the service and what they may do: principals, permissions and the auth use cases."""
