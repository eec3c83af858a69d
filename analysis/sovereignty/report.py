"""The I/O edge of sovereignty: read the facts through one connection, then call the pure functions.
Used by ``socle explain`` and by the dashboard (which caches what these return)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analysis.budget import plan
from analysis.budget.proposal import Proposal
from analysis.queries import sovereignty as queries
from analysis.queries.dashboard.packages import paths_to
from analysis.sovereignty import reference as references
from analysis.sovereignty.control import Control, ExitOption, control_of, exit_options
from analysis.sovereignty.explain import BudgetLine, Explanation, explain
from analysis.sovereignty.exposure import SCORES, Exposure, exposure
from collectors.errors import InputError, SocleError

#: The proposal the card quotes: the default need-based method; only the line's share matters.
CARD_BUDGET = plan.Choices(total=100_000)


def resolve(conn: duckdb.DuckDBPyConnection, package: str) -> str:
    """A purl, or a package name that names exactly one package of the store (``requests``,
    ``@tanstack/react-query``); else an InputError naming the choices."""
    if package.startswith("pkg:"):
        row = conn.execute("SELECT purl FROM packages WHERE purl = ?", [package]).fetchone()
        if row is None:
            raise InputError(package, "no such package in the store (socle import adds an application's)")
        return str(row[0])
    rows = conn.execute(
        "SELECT purl FROM packages WHERE lower(name) = lower(?) "
        "OR lower(coalesce(namespace || '/', '') || name) = lower(?) ORDER BY purl",
        [package, package],
    ).fetchall()
    if not rows:
        raise InputError(package, "no package of that name in the store; give its purl (pkg:pypi/NAME)")
    if len(rows) > 1:
        choices = ", ".join(str(r[0]) for r in rows)
        raise InputError(package, f"names several packages, give one purl: {choices}")
    return str(rows[0][0])


def default_proposal(conn: duckdb.DuckDBPyConnection) -> Proposal | None:
    """The proposal the card quotes; None when no proposal can be made from this store."""
    try:
        return plan.propose_from_store(conn, CARD_BUDGET)
    except SocleError:
        return None


def budget_line(proposal: Proposal | None, facts: queries.DependencyFacts) -> BudgetLine | None:
    """The package's line in ``proposal`` (a line per project: its repository, else its purl), or why it was
    left out; None without a proposal."""
    if proposal is None:
        return None
    keys = {facts.purl, *(r.url for r in facts.repositories)}
    total, currency, method = proposal.total, proposal.currency, proposal.method
    for line in proposal.lines:
        if line.project in keys:
            return BudgetLine(line.project, line.amount, total, currency, method, line.channel_text)
    for subject, why in proposal.left_out:
        if subject in keys:
            return BudgetLine(subject, 0, total, currency, method, "", left_out=why)
    for entry in proposal.outreach:
        if entry.project in keys:
            contacts = "; ".join(entry.contacts[:3]) or "no public contact known"
            why = (
                f"no funding channel is known, so it is on the outreach list: it would receive "
                f"{entry.amount:,} of {total:,} {currency} (contact: {contacts})"
            )
            return BudgetLine(entry.project, 0, total, currency, method, "", left_out=why)
    why = "it gets no line: its share is under the minimum grant, or it has no channel and too small a share to list"
    return BudgetLine(facts.purl, 0, total, currency, method, "", left_out=why)


@dataclass(frozen=True)
class Card:
    """Everything the dependency card and ``socle explain`` show for one package."""

    facts: queries.DependencyFacts
    control: Control
    options: tuple[ExitOption, ...]
    explanation: Explanation


def card(conn: duckdb.DuckDBPyConnection, purl: str, *, proposal: Proposal | None = None) -> Card:
    """The card of ``purl``; its budget line from ``proposal`` (the dashboard passes the one it has cached),
    else from the default proposal computed here."""
    facts = queries.dependency_facts(conn, [purl])[purl]
    reference = references.shipped()
    stewards = queries.stewards(conn)
    control = control_of(facts, reference)
    line = budget_line(proposal if proposal is not None else default_proposal(conn), facts)
    explanation = explain(facts, control, stewards, paths_to(conn, purl), line)
    return Card(facts, control, exit_options(facts, stewards), explanation)


def organisation_exposure(conn: duckdb.DuckDBPyConnection, top: int = 10) -> Exposure:
    facts = queries.dependency_facts(conn, queries.used_purls(conn), SCORES, with_usage=False)
    reference = references.shipped()
    controls = {purl: control_of(f, reference) for purl, f in facts.items()}
    return exposure(facts, controls, queries.stewards(conn), top=top)
