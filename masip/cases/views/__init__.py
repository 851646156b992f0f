"""Case pages: the lists, the case summary, and the forms that change a case.

Views parse, authorise (through ``CaseView``/``GlobalView``), call one service
or selector and render. Writes redirect afterwards (post/redirect/get). One
module per area of the case; ``masip/cases/urls.py`` maps each view.
"""
