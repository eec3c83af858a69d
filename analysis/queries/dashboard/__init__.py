"""Reads behind the dashboard's pages, one module per page: each function takes an open read-only
connection and returns a frame or a frozen dataclass. Tables another area has not created yet (an older
store, a step not run) read as empty, so a page says "no data yet" rather than failing."""

from __future__ import annotations

from analysis.queries.dashboard.bus_factor import (
    contributor_shares,
    monthly_activity,
    repositories,
    riskiest_packages,
    truck_factor_developers,
    truck_factor_distribution,
)
from analysis.queries.dashboard.common import FRAGILE, TABLE_SCORES
from analysis.queries.dashboard.history import (
    proposal_lines,
    proposals,
    score_changes,
    score_names,
    score_trend,
)
from analysis.queries.dashboard.overview import LastRun, Overview, applications, overview
from analysis.queries.dashboard.packages import PackageDetail, dependencies, package_detail
from analysis.queries.dashboard.runs import run_problems, runs
from analysis.queries.dashboard.standards import (
    exit_options,
    fragility_classes,
    interface_control,
    interfaces_in_use,
    review_list,
)
from analysis.queries.dashboard.vulnerabilities import (
    Coverage,
    lifecycle,
    vulnerabilities,
    vulnerability_coverage,
)

__all__ = [
    "FRAGILE",
    "TABLE_SCORES",
    "Coverage",
    "LastRun",
    "Overview",
    "PackageDetail",
    "applications",
    "contributor_shares",
    "dependencies",
    "exit_options",
    "fragility_classes",
    "interface_control",
    "interfaces_in_use",
    "lifecycle",
    "monthly_activity",
    "overview",
    "package_detail",
    "proposal_lines",
    "proposals",
    "repositories",
    "review_list",
    "riskiest_packages",
    "run_problems",
    "runs",
    "score_changes",
    "score_names",
    "score_trend",
    "truck_factor_developers",
    "truck_factor_distribution",
    "vulnerabilities",
    "vulnerability_coverage",
]
