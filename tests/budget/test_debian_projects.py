"""Debian binary packages built from one source package are one project of the budget, reached through
the source package's page on Debian's tracker (from the Debian collector's ``Debian-Source`` classifier)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from analysis.budget.proposal import Options, propose
from analysis.queries.budget import BudgetData, Usage, _source_projects
from analysis.risk import load_weights
from collectors.store import migrate

NOW = datetime(2026, 12, 1, 12, 0)
GCC = "https://tracker.debian.org/pkg/gcc-12"
BINARIES = ("pkg:deb/debian/libgcc-s1?distro=debian-12", "pkg:deb/debian/libstdc%2B%2B6?distro=debian-12")
ZLIB = "pkg:deb/debian/zlib1g?distro=debian-12"


def test_the_tracker_link_of_each_debian_package_is_read_from_its_metadata() -> None:
    conn = duckdb.connect(":memory:")
    migrate(conn)
    rows = [
        (BINARIES[0], "deb", ["Debian-Source :: gcc-12", "Debian-Release :: bookworm"]),
        (BINARIES[1], "deb", ["Standards-Version :: 4.6.2", "Debian-Source :: gcc-12"]),
        (ZLIB, "deb", ["Debian-Release :: bookworm"]),  # no source named: the package stays its own project
        (
            "pkg:pypi/six",
            "pypi",
            ["Debian-Source :: gcc-12"],
        ),  # another registry's classifier is not Debian's
    ]
    conn.executemany(
        "INSERT INTO package_metadata (purl, ecosystem, classifiers, fetched_at, run_id) VALUES (?, ?, ?, ?, 1)",
        [(*row, NOW) for row in rows],
    )
    assert _source_projects(conn, {"package_metadata"}) == {BINARIES[0]: GCC, BINARIES[1]: GCC}


def test_binaries_of_one_source_package_are_one_outreach_entry_with_its_tracker_page() -> None:
    usage = {p: Usage(p, 1, 1, 1, "runtime") for p in (*BINARIES, ZLIB)}
    data = BudgetData(
        total_apps=1,
        usage=usage,
        direct=frozenset(usage),
        children=None,
        source_project={p: GCC for p in BINARIES},
        now=NOW,
    )
    assert data.project_of(BINARIES[0]) == GCC
    assert data.project_of(ZLIB) == ZLIB  # no repository and no source page: the package itself
    options = Options(total=30_000, currency="EUR", weights=load_weights(), now=NOW, method="equal", floor=0)
    proposal = propose(data, options)
    entries = {o.project: o for o in proposal.outreach}
    assert set(entries) == {GCC, ZLIB}
    assert entries[GCC].packages == (
        "debian/libgcc-s1?distro=debian-12",
        "debian/libstdc++6?distro=debian-12",
    )
    # The tracker page lists the binaries: it is the contact, without one search page per binary.
    assert entries[GCC].contacts == (GCC,)
    assert entries[ZLIB].contacts == (
        "https://packages.debian.org/search?keywords=zlib1g&searchon=names&exact=1",
    )
