"""Course-of-conduct analysis of an evidence timeline (issue 4).

A pure package: it takes plain columns and values, never Django models, so
the evidence timeline can feed it from ``values_list`` rows. Call
:func:`analyse` with a :class:`Timeline`, the incidents as
:class:`IncidentFact` values and the victim's time zone; every figure in the
:class:`ConductReport` it returns carries a plain-words ``explanation``.
The chart data it holds renders with :mod:`masip.evidence.analysis.charts`.
"""

from masip.evidence.analysis.charts import (
    daily_table,
    daily_volume_svg,
    hour_weekday_svg,
    hour_weekday_table,
)
from masip.evidence.analysis.conduct import analyse
from masip.evidence.analysis.figures import ConductReport
from masip.evidence.analysis.timeline import IncidentFact, Timeline

__all__ = [
    "ConductReport",
    "IncidentFact",
    "Timeline",
    "analyse",
    "daily_table",
    "daily_volume_svg",
    "hour_weekday_svg",
    "hour_weekday_table",
]
