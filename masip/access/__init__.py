"""Who may see and do what: the one door for every access decision.

Read ``roles.py`` for the declared roles, ``policy.py`` for the decisions.
"""
