"""The ``standards`` step of ``socle refresh``: load the catalogue, classify packages, collect hints, score.

One transaction: the catalogue tables, ``package_interfaces``, ``detection_hints`` and the scores are
replaced together. A catalogue that does not validate is recorded as errors on the run (one per problem,
naming file, entry and field) and the step stops, leaving the previous results in place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from analysis.queries import standards as queries
from analysis.standards.assess import SCORE_NAMES, score_rows
from analysis.standards.catalogue import SHIPPED_DIR, CatalogueError, load_catalogue, overlay_paths
from analysis.standards.detect import Hint, SuggestionIndex, detect_hints, match_catalogue
from analysis.standards.model import CONTROL_LEVELS, DEFAULT_CONTROL_LEVEL, Catalogue
from collectors.errors import InputError
from collectors.store import write_scores
from collectors.store.catalogue import (
    replace_catalogue,
    replace_detection_hints,
    replace_package_interfaces,
    retire_scores,
)

if TYPE_CHECKING:
    from collectors.store import WriteSession

CONTROL_LEVEL_ENV = "SOCLE_CONTROL_LEVEL"


class StandardsOptions(Protocol):
    """The attributes of the refresh options this step reads."""

    @property
    def catalogue_overlays(self) -> tuple[Path, ...]: ...

    @property
    def now(self) -> datetime: ...


def control_level_setting(environ: Mapping[str, str] | None = None) -> str:
    """The organisation's control level: ``$SOCLE_CONTROL_LEVEL`` (ultimate, parent or steward), default
    ultimate. An unknown value is an input error, not a silent default."""
    value = (os.environ if environ is None else environ).get(CONTROL_LEVEL_ENV, "") or DEFAULT_CONTROL_LEVEL
    if value not in CONTROL_LEVELS:
        raise InputError(
            f"${CONTROL_LEVEL_ENV}", f"must be one of {', '.join(CONTROL_LEVELS)}; got {value!r}"
        )
    return value


def catalogue_tables(catalogue: Catalogue) -> dict[str, dict[str, list[Any]]]:
    """The catalogue as columns for the ``cat_*`` tables."""
    standards = list(catalogue.standards.values())
    stewards = list(catalogue.stewards.values())
    interfaces = list(catalogue.interfaces.values())
    impls = list(catalogue.implementations.values())
    return {
        "cat_standards": {
            name: [getattr(s, name) for s in standards]
            for name in (
                "id",
                "body",
                "number",
                "title",
                "url",
                "status",
                "openness",
                "access",
                "conformance_suite",
                "year",
                "source",
                "superseded_by",
                "checked",
                "origin",
                "file",
            )
        },
        "cat_stewards": {
            **{
                name: [getattr(s, name) for s in stewards]
                for name in (
                    "id",
                    "name",
                    "kind",
                    "country",
                    "url",
                    "source",
                    "parent",
                    "parent_source",
                    "checked",
                    "origin",
                    "file",
                )
            },
            "parent_since": [None if s.parent_since is None else str(s.parent_since) for s in stewards],
            "ultimate_parent": [catalogue.controller(s.id, "ultimate") for s in stewards],
        },
        "cat_interfaces": {
            name: [getattr(i, name) for i in interfaces]
            for name in ("id", "title", "kind", "scope", "domain", "source", "checked", "origin", "file")
        },
        "cat_interface_standards": {
            "interface_id": [i.id for i in interfaces for _ in i.standards],
            "standard_id": [s for i in interfaces for s in i.standards],
        },
        "cat_implementations": {
            "interface_id": [i.interface for i in impls],
            "subject": [i.subject for i in impls],
            "purl": [None if i.is_component else i.subject for i in impls],
            "component": [i.subject if i.is_component else None for i in impls],
            **{
                name: [getattr(i, name) for i in impls]
                for name in (
                    "name",
                    "lineage",
                    "steward",
                    "conformance",
                    "evidence",
                    "ecosystem",
                    "conformance_note",
                    "licensor",
                    "licensor_source",
                    "drop_in_evidence",
                    "checked",
                    "origin",
                    "file",
                )
            },
            "depends_on": [list(i.depends_on) for i in impls],
            "drop_in_for": [list(i.drop_in_for) for i in impls],
        },
    }


def hint_columns(hints: Sequence[Hint], matched: set[str], catalogue: Catalogue) -> dict[str, list[Any]]:
    by_purl: dict[str, list[Hint]] = {}
    for hint in hints:
        by_purl.setdefault(hint.purl, []).append(hint)
    index = SuggestionIndex.build(catalogue)
    suggested = {purl: list(index.suggest(found)) for purl, found in by_purl.items()}
    return {
        "purl": [h.purl for h in hints],
        "kind": [h.kind for h in hints],
        "value": [h.value for h in hints],
        "field": [h.field for h in hints],
        "evidence": [h.evidence for h in hints],
        "confidence": [h.confidence for h in hints],
        "suggested": [suggested[h.purl] for h in hints],
        "matched": [h.purl in matched for h in hints],
    }


def run(
    session: WriteSession,
    options: StandardsOptions,
    *,
    shipped: Path | None = SHIPPED_DIR,
    control_level: str | None = None,
) -> None:
    """Load the catalogue (``shipped``, default ``data/catalogue/``) and the overlays, classify and hint,
    write ``package_interfaces``, ``detection_hints`` and the standards scores. Independent control is
    counted at ``control_level`` (default: ``$SOCLE_CONTROL_LEVEL``, else the ultimate parent)."""
    level = control_level or control_level_setting()
    overlays = overlay_paths(options.catalogue_overlays)
    try:
        catalogue = load_catalogue(overlays, shipped=shipped)
    except CatalogueError as exc:
        for problem in exc.problems:
            session.event("error", problem.file, str(problem))
        session.message = f"standards: the catalogue has {len(exc.problems)} problem(s); scores not updated"
        return
    with session.transaction() as conn:
        packages = queries.packages_in_use(conn)
        matches = match_catalogue([purl for purl, _ in packages], catalogue)
        # a package the catalogue lists is never review material, whether or not an application uses it
        catalogued = {impl.subject for impl in catalogue.implementations.values()}
        hints = [hint for meta in queries.package_metadata(conn) for hint in detect_hints(meta)]
        rows = score_rows(
            catalogue,
            packages,
            usage=queries.usage_counts(conn),
            concentration=queries.concentration_scores(conn),
            as_of_year=options.now.year,
            control_level=level,
        )
        replace_catalogue(conn, catalogue_tables(catalogue), session.run_id)
        replace_package_interfaces(
            conn,
            {
                "purl": [m.purl for m in matches],
                "interface_id": [m.interface_id for m in matches],
                "source": [m.source for m in matches],
            },
            session.run_id,
        )
        replace_detection_hints(conn, hint_columns(hints, catalogued, catalogue), session.run_id)
        retire_scores(conn, SCORE_NAMES, [(r["subject_kind"], r["subject"], r["name"]) for r in rows])
        write_scores(session, rows)
    review = {h.purl for h in hints if h.purl not in catalogued and h.kind != "portability"}
    session.count("catalogue_interfaces", len(catalogue.interfaces))
    session.count("catalogue_implementations", len(catalogue.implementations))
    session.count("packages_classified", len({m.purl for m in matches}))
    session.count("packages_to_review", len(review))
    session.count("standards_scores", len(rows))
