"""Orders, conditions, notification requirements and breaches."""
