"""People: victims, perpetrators and others, with their identifiers and addresses."""
