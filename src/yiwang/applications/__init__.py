"""办件: applications from submission on, with their timeline."""
