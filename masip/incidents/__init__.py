"""The incident log: each act in the course of conduct, shown as a timeline."""
