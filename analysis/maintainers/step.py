"""The ``maintainers`` step of a refresh: score every mined repository and copy the scores to its packages;
``publishers`` for every package from the registries' maintainer lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from analysis.maintainers.scores import MaintainerParams, publishers_score, repository_scores
from analysis.queries import git as queries
from collectors.git.filters import load_filter
from collectors.store import WriteSession, utcnow, write_scores


class MaintainerStepOptions(Protocol):
    @property
    def now(self) -> datetime: ...
    @property
    def at(self) -> str | None: ...


@dataclass(frozen=True)
class ScoreSummary:
    repositories: int
    packages: int


def run(session: WriteSession, options: MaintainerStepOptions) -> None:
    """Refresh step entry point (``Step("maintainers", analysis.maintainers.step.run)``)."""
    score_all(session, options.now, at=options.at)


def score_all(
    session: WriteSession,
    now: datetime | None,
    *,
    at: str | None = None,
    params: MaintainerParams | None = None,
) -> ScoreSummary:
    conn = session.conn
    now = (now or utcnow()).replace(tzinfo=None)
    links = queries.package_links(conn)
    rows: list[dict[str, Any]] = []
    repositories = queries.mined_repositories(conn)
    for url in repositories:
        p = params or MaintainerParams()
        if p.file_filter.exclude == ():
            p = MaintainerParams(**{**p.__dict__, "file_filter": load_filter(url)})
        # --at: the scores describe the repository as of the analysed commit, not as of today
        reference = (queries.latest_commit_at(conn, url) or now) if at else now
        history = queries.repository_history(conn, url, reference - p.window, p.rename_history)
        for score in repository_scores(history, reference, p):
            rows.append(score.row("repository", url))
            for purl in links.get(url, []):
                rows.append(score.row("package", purl))
    maintainers = queries.publishers(conn)
    purls = sorted(queries.all_packages(conn))
    for purl in purls:
        people = None if maintainers is None else maintainers.get(purl, [])
        rows.append(publishers_score(people).row("package", purl))
    write_scores(session, rows)
    session.count("maintainer_scores", len(rows))
    scored = {purl for url in repositories for purl in links.get(url, [])} | set(purls)
    return ScoreSummary(repositories=len(repositories), packages=len(scored))
