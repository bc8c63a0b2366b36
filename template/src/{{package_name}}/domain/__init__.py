"""Domain layer: entities, value objects and business rules, in the standard library only."""
