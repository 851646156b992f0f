"""Victim safety plans, safe contact and the victim-update log."""
