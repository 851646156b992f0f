"""The national stalking helpline: live contacts, repeat callers, handover
with consent and statistics."""
