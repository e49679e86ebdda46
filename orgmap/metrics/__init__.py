"""Organizational network metrics (SPEC section 4), one concept per module.

========================  ===============================================================
module                    metrics
========================  ===============================================================
``hierarchy``             direct_reports, org_size, depth (+ span of control, depth)
``influence``             influence, influence_percentile (Katz status over nominations; PageRank on request)
``brokerage``             brokerage (betweenness; exact or sampled)
``structural_holes``      constraint, effective_size (Burt)
``reach``                 reach_2, teams_reached, departments_reached, org_reach
``projects``              cross_team_projects(_led); members, leads, teams_spanned,
                          departments_spanned, org_wide, bridges
``mentorship``            mentees, mentorship_reach, mentors_grown
``risk``                  key_person_risk
``roles``                 brokerage_roles (Gould & Fernandez), role (Cross & Prusak)
``teams``                 size, internal_ties, external_ties, ei_index, silo, partner_teams
========================  ===============================================================

Each function takes an :class:`orgmap.model.Org` and returns ``{node: value}``.
:func:`compute_all` runs them all; :data:`METRICS` names and explains them.
"""

from orgmap.metrics.compute import compute_all, summary
from orgmap.metrics.info import METRICS, REFERENCES, MetricInfo, metric, metrics_for

__all__ = ["compute_all", "summary", "METRICS", "REFERENCES", "MetricInfo", "metric", "metrics_for"]
