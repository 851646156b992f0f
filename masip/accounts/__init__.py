"""Sites, agencies, teams, staff users and their memberships (role per agency)."""
