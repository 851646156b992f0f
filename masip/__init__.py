"""MASIP: the Multi-Agency Stalking Intervention Platform."""
