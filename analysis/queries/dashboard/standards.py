"""Standards page: fragility classes, interfaces in use, exit options, who controls them, review list."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.queries import table_exists as has_table
from analysis.queries.dashboard.common import FRAGILE, empty, frame


def fragility_classes(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(
        conn,
        """
        SELECT coalesce(s.label, 'unclassified') AS fragility, count(*) AS packages
        FROM packages p LEFT JOIN scores s
          ON s.subject_kind = 'package' AND s.subject = p.purl AND s.name = 'fragility'
        GROUP BY 1 ORDER BY 2 DESC, 1
        """,
    )


def interfaces_in_use(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    if not has_table(conn, "package_interfaces"):
        return empty("interface_id", "name", "kind", "packages", "fragility", "standardisation", "diversity")
    catalogue = has_table(conn, "cat_interfaces")
    name, kind = ("ci.title", "ci.kind") if catalogue else ("NULL::VARCHAR", "NULL::VARCHAR")
    join = "LEFT JOIN cat_interfaces ci ON ci.id = pi.interface_id" if catalogue else ""
    return frame(
        conn,
        f"""
        SELECT pi.interface_id, any_value({name}) AS name, any_value({kind}) AS kind,
               count(DISTINCT pi.purl) AS packages,
               string_agg(DISTINCT f.label, ', ') AS fragility,
               max(st.value) AS standardisation, min(dv.value) AS diversity
        FROM package_interfaces pi {join}
        LEFT JOIN scores f ON f.subject_kind = 'package' AND f.subject = pi.purl AND f.name = 'fragility'
        LEFT JOIN scores st ON st.subject_kind = 'package' AND st.subject = pi.purl AND st.name = 'standardisation'
        LEFT JOIN scores dv ON dv.subject_kind = 'package' AND dv.subject = pi.purl
             AND dv.name = 'implementation_diversity'
        GROUP BY pi.interface_id ORDER BY packages DESC, pi.interface_id
        """,  # noqa: S608 - the joined names are fixed text chosen above
    )


def exit_options(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per exit option of each fragile dependency (single-actor or vigilance); none listed as such.

    The options are unpacked from the ``exit_options`` score's details by DuckDB's JSON functions, in the
    score's own order (cost, then independence, then health): ``rank`` 1 is the cheapest exit."""
    return frame(
        conn,
        """
        WITH fragile AS (
            SELECT subject, label FROM scores
            WHERE subject_kind = 'package' AND name = 'fragility' AND label IN (?, ?)),
        options AS (
            SELECT subject, unnest(from_json(details -> '$.options',
                '[{"purl_or_component": "VARCHAR", "lineage": "VARCHAR", "steward": "VARCHAR",
                   "cost": "VARCHAR", "control": "VARCHAR", "cost_evidence": "VARCHAR",
                   "truck_factor": "DOUBLE"}]')) AS o,
                   generate_subscripts(from_json(details -> '$.options', '["JSON"]'), 1) AS rank
            FROM scores WHERE subject_kind = 'package' AND name = 'exit_options'
              AND subject IN (SELECT subject FROM fragile))
        SELECT f.subject AS purl, f.label AS fragility, o.rank AS rank,
               coalesce(o.o.purl_or_component, 'none known') AS exit_option,
               o.o.cost AS cost, o.o.control AS control, o.o.lineage AS lineage,
               o.o.steward AS steward, o.o.truck_factor AS truck_factor, o.o.cost_evidence AS evidence
        FROM fragile f LEFT JOIN options o USING (subject)
        ORDER BY f.label, f.subject, o.rank NULLS LAST
        """,
        list(FRAGILE),
    )


def interface_control(conn: duckdb.DuckDBPyConnection, min_criticality: float = 0.0) -> pd.DataFrame:
    """Who controls the interfaces the organisation's critical packages implement: steward, kind, country,
    the steward's ultimate parent and, where a company sells the licence, the licensor and its country."""
    needed = ("package_interfaces", "cat_implementations", "cat_stewards")
    if not all(has_table(conn, t) for t in needed):
        return empty(
            "interface_id",
            "steward",
            "kind",
            "country",
            "controlled_by",
            "licensor",
            "packages",
            "max_criticality",
        )
    return frame(
        conn,
        """
        SELECT pi.interface_id, st.name AS steward, st.kind, st.country,
               coalesce(top.name, st.name) AS controlled_by,
               lic.name || coalesce(' (' || lic.country || ')', '') AS licensor,
               count(DISTINCT pi.purl) AS packages, max(c.value) AS max_criticality
        FROM package_interfaces pi
        JOIN cat_implementations ci ON ci.interface_id = pi.interface_id AND ci.purl = pi.purl
        LEFT JOIN cat_stewards st ON st.id = ci.steward
        LEFT JOIN cat_stewards top ON top.id = st.ultimate_parent
        LEFT JOIN cat_stewards lic ON lic.id = ci.licensor
        LEFT JOIN scores c ON c.subject_kind = 'package' AND c.subject = pi.purl AND c.name = 'criticality'
        GROUP BY ALL HAVING coalesce(max(c.value), 0) >= ?
        ORDER BY max_criticality DESC NULLS LAST, pi.interface_id
        """,
        [min_criticality],
    )


def review_list(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Packages with metadata hints and no catalogue entry, for a catalogue maintainer to confirm."""
    if not has_table(conn, "detection_hints"):
        return empty("purl", "hint", "evidence", "confidence")
    return frame(
        conn,
        "SELECT purl, value AS hint, evidence, confidence FROM detection_hints WHERE NOT matched "
        "ORDER BY confidence DESC, purl, hint",
    )
