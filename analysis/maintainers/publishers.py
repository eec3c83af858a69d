"""The ``publishers`` score: who can push a release of a package, with the source and the strength of the evidence.

The same score for every ecosystem; what differs is how good the evidence is:

* publish rights the registry states: PyPI ownership roles, npm maintainers, crates.io owners (people and
  teams), Debian's Maintainer and Uploaders;
* weaker, declared people: POM developers (Maven Central has no per-package publisher list: the people a POM
  names are not necessarily those who can deploy) and Cargo.toml authors.

When a package has both (crates.io owners and Cargo.toml authors), only the stronger evidence counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.score import Score, Status

NAME = "publishers"
VERSION = "1.1"
_SHOWN = 5


@dataclass(frozen=True)
class Evidence:
    strong: bool
    source: str  # where the list comes from, as a person reads it


def evidence(source: str, role: str | None) -> Evidence:
    """How much a (registry, role) says about publish rights."""
    role = (role or "").lower()
    if source == "pypi":
        return Evidence(True, "PyPI")
    if source == "npm":
        return Evidence(True, "npm")
    if source == "cargo":
        return Evidence(True, "crates.io") if role.startswith("owner") else Evidence(False, "Cargo.toml")
    if source == "deb":
        return Evidence(True, "Debian")
    if source == "maven":
        return Evidence(False, "POM")
    return Evidence(False, source)


def _names(people: list[str]) -> str:
    shown = ", ".join(people[:_SHOWN])
    return shown + (f" and {len(people) - _SHOWN} more" if len(people) > _SHOWN else "")


def _sentence(n: int, people: list[str], ev: Evidence, teams: bool) -> str:
    who = f"{n} {'person' if n == 1 else 'people'}" + (" or teams" if teams else "")
    if ev.strong and ev.source == "Debian":
        return f"{who} maintain or may upload the Debian package: {_names(people)}."
    if ev.strong:
        return f"{who} can publish to {ev.source}: {_names(people)}."
    if ev.source == "POM":
        word = "developer" if n == 1 else "developers"
        return (f"POM lists {n} {word} (weaker evidence: POM developers are not necessarily publishers): "
                f"{_names(people)}.")  # fmt: skip
    if ev.source == "Cargo.toml":
        word = "author" if n == 1 else "authors"
        return (f"Cargo.toml lists {n} {word} (weaker evidence: authors are not necessarily crates.io owners): "
                f"{_names(people)}.")  # fmt: skip
    return f"{ev.source} lists {n} {'person' if n == 1 else 'people'} (weaker evidence): {_names(people)}."


def publishers_score(people: list[tuple[str, str | None, str]] | None) -> Score:
    """``people``: (person, role, source registry) rows; None when the registry table does not exist."""
    if people is None:
        return Score.inconclusive(NAME, VERSION, "Registry maintainers were not collected yet.")
    if not people:
        return Score.inconclusive(NAME, VERSION, "The registry lists nobody with publish rights.")
    graded = [(person, role, evidence(source, role)) for person, role, source in people]
    strong = [g for g in graded if g[2].strong]
    kept = strong or graded
    names = sorted({person for person, _, _ in kept})
    ev = kept[0][2]
    teams = any((role or "").lower() == "owner-team" for _, role, _ in kept)
    return Score(
        NAME, VERSION, float(len(names)), Status.OK, _sentence(len(names), names, ev, teams),
        details={"people": [{"name": p, "role": r} for p, r, _ in kept], "source": ev.source,
                 "evidence": "publish rights" if ev.strong else "declared (weaker)"},
    )  # fmt: skip
