"""One decision per project: eligibility, exclusions and caveats are decided for the repository, so the
packages of one project are never split between "left out" and "paid" (react out, scheduler paid).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from analysis.budget import eligibility
from analysis.queries.budget import BudgetData


def package_name(purl: str) -> str:
    """``pkg:npm/%40babel/core`` -> ``@babel/core``; ``pkg:pypi/requests`` -> ``requests``."""
    rest = unquote(purl).split(":", 1)[-1]
    return rest.split("/", 1)[-1] if "/" in rest else rest


def matches(token: str, purl: str, project: str) -> bool:
    """Whether an ``--exclude``/``--boost`` token names the package (purl or name) or its project."""
    return token in (purl, project, package_name(purl))


def projects(data: BudgetData) -> dict[str, list[str]]:
    """Project (repository URL, else a Debian source package's page, else the purl) -> its packages the
    organisation uses."""
    out: dict[str, list[str]] = {}
    for purl in sorted(data.usage):
        out.setdefault(data.project_of(purl), []).append(purl)
    return out


@dataclass(frozen=True)
class Decisions:
    eligible: dict[str, list[str]]  # project -> its packages that count (open licence or not known)
    caveats: dict[str, list[str]] = field(default_factory=dict)  # project -> what to check before paying
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (project, why), one per project


def _names(purls: Iterable[str]) -> str:
    return ", ".join(package_name(p) for p in purls)


def decide(
    data: BudgetData,
    *,
    exclude: frozenset[str],
    rules: eligibility.Rules,
    status_of: Callable[[str | None, tuple[str, ...]], str],
) -> Decisions:
    """Decide every project once. A project is left out when ``--exclude`` names it or one of its packages,
    when any of its packages shows single-company ownership (the company should pay in), or when none of
    its packages is open source; a closed package of an otherwise open project is named and not counted."""
    decisions = Decisions({})
    for project, purls in projects(data).items():
        if exclude and any(matches(t, p, project) for t in exclude for p in purls):
            decisions.left_out.append((project, f"excluded by --exclude (packages: {_names(purls)})"))
            continue
        verdicts = {}
        for purl in purls:
            meta = data.metadata.get(purl)
            scores = data.scores.get(purl)
            licence, classifiers = (meta.license, meta.classifiers) if meta else (None, ())
            verdicts[purl] = eligibility.verdict(
                licence=licence,
                classifiers=classifiers,
                elephant_factor=scores.elephant_factor if scores else None,
                steward_kind=data.steward_kind.get(purl),
                rules=rules,
                status=status_of(licence, classifiers),
            )
        company = [p for p in purls if verdicts[p].ground == "company"]
        if company:
            decisions.left_out.append(
                (
                    project,
                    f"{verdicts[company[0]].reason} (evidence: {_names(company)}); "
                    f"one decision for the whole project: {_names(purls)}",
                )
            )
            continue
        open_purls = [p for p in purls if verdicts[p].eligible]
        if not open_purls:
            decisions.left_out.append((project, f"{verdicts[purls[0]].reason} ({_names(purls)})"))
            continue
        decisions.eligible[project] = open_purls
        notes = []
        closed = [p for p in purls if not verdicts[p].eligible]
        if closed:
            notes.append(f"{_names(closed)}: not an open-source licence, not counted")
        unknown = [p for p in open_purls if verdicts[p].ground == "unknown-licence"]
        if unknown:
            notes.append(f"licence not known for {_names(unknown)}: check it is open source before paying")
        if notes:
            decisions.caveats[project] = notes
    return decisions
