"""Import a generated CycloneDX XML SBOM of 10,000 components and 50,000 edges; wall time and peak memory.

The same layered graph as ``bench_import`` (its JSON SBOM is written, then turned into CycloneDX 1.6
XML), imported with ``socle import`` in a child process, a fresh store each time. The JSON import is
measured in the same run as the baseline of the ratio row. Goal on a 2-core machine: under 3 s and
under 400 MB.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from bench.bench_import import write_sbom
from bench.common import ChildRun, Figure, check, median, run_child

GOAL_SECONDS = 3.0
GOAL_MB = 400.0
NAMESPACE = "http://cyclonedx.org/schema/bom/1.6"


def write_xml_sbom(json_sbom: Path, path: Path) -> None:
    document = json.loads(json_sbom.read_text())
    app = document["metadata"]["component"]
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="{NAMESPACE}" version="1">\n')
        out.write(
            f'<metadata><component type="application" bom-ref={quoteattr(app["bom-ref"])}>'
            f"<name>{escape(app['name'])}</name></component></metadata>\n<components>\n"
        )
        for c in document["components"]:
            out.write(
                f'<component type="library" bom-ref={quoteattr(c["bom-ref"])}><name>{escape(c["name"])}</name>'
                f"<purl>{escape(c['purl'])}</purl></component>\n"
            )
        out.write("</components>\n<dependencies>\n")
        for d in document["dependencies"]:
            children = "".join(f"<dependency ref={quoteattr(ref)}/>" for ref in d["dependsOn"])
            out.write(f"<dependency ref={quoteattr(d['ref'])}>{children}</dependency>\n")
        out.write("</dependencies>\n</bom>\n")


def run(quick: bool) -> list[Figure]:
    repeats = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        json_sbom = Path(tmp) / "bench.cdx.json"
        write_sbom(json_sbom, 10_000, 50_000)
        xml_sbom = Path(tmp) / "bench.cdx.xml"
        write_xml_sbom(json_sbom, xml_sbom)
        xml_runs: list[ChildRun] = []
        json_runs: list[ChildRun] = []
        for i in range(repeats):
            for sbom, runs in ((xml_sbom, xml_runs), (json_sbom, json_runs)):
                db = Path(tmp) / f"bench-{sbom.suffix}-{i}.duckdb"
                argv = [sys.executable, "-m", "analysis.cli", "import", "--db", str(db), str(sbom)]
                runs.append(check(run_child(argv), "socle import"))
        size_mb = xml_sbom.stat().st_size / 1e6
    label = "import XML 10k components / 50k edges"
    xml_wall = median([r.seconds for r in xml_runs])
    json_wall = median([r.seconds for r in json_runs])
    return [
        Figure(f"{label}: wall time (median)", xml_wall, "s", GOAL_SECONDS),
        Figure(
            f"{label}: CPU user+sys (median)", median([r.cpu_seconds for r in xml_runs]), "s", GOAL_SECONDS
        ),
        Figure(f"{label}: peak RSS (median)", median([r.max_rss_mb for r in xml_runs]), "MB", GOAL_MB),
        Figure(f"{label}: wall time against the same SBOM as JSON", xml_wall, "s", json_wall),
        Figure(
            f"{label}: CPU against the same SBOM as JSON",
            median([r.cpu_seconds for r in xml_runs]),
            "s",
            median([r.cpu_seconds for r in json_runs]),
        ),
        Figure("XML SBOM size", size_mb, "MB"),
    ]


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("import_xml", f) for f in run("--quick" in sys.argv)])
