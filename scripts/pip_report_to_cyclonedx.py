"""Turn a pip installation report into a CycloneDX 1.5 JSON SBOM with a real dependency graph.

This is how ``data/examples/open-data-pipeline/bom.cdx.json`` was made (the resolve step talks to PyPI;
this script itself does not touch the network)::

    python -m venv /tmp/resolve && /tmp/resolve/bin/pip install --dry-run --ignore-installed \\
        --report /tmp/report.json requests lxml ...
    python scripts/pip_report_to_cyclonedx.py /tmp/report.json --name open-data-pipeline \\
        --version 3.2.0 > data/examples/open-data-pipeline/bom.cdx.json

Edges follow each package's ``Requires-Dist`` evaluated in the report's environment, with the extras that
its dependents ask for (https://packaging.python.org/en/latest/specifications/dependency-specifiers/).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _ref(name: str, version: str) -> str:
    return f"pkg:pypi/{canonicalize_name(name)}@{version}"


def build(report: dict[str, Any], name: str, version: str, timestamp: str) -> dict[str, Any]:
    env = report.get("environment", {})
    installed = {canonicalize_name(i["metadata"]["name"]): i for i in report["install"]}
    extras: dict[str, set[str]] = {n: set(i.get("requested_extras") or []) for n, i in installed.items()}
    edges: dict[str, set[str]] = {n: set() for n in installed}
    changed = True
    while changed:  # extras asked for by dependents can add more edges, which can ask for more extras
        changed = False
        for pkg, item in installed.items():
            for text in item["metadata"].get("requires_dist") or []:
                req = Requirement(text)
                dep = canonicalize_name(req.name)
                if dep not in installed:
                    continue
                wanted = ["", *sorted(extras[pkg])]
                if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in wanted):
                    continue
                if dep not in edges[pkg]:
                    edges[pkg].add(dep)
                    changed = True
                if not set(req.extras) <= extras[dep]:
                    extras[dep] |= set(req.extras)
                    changed = True
    app_ref = f"pkg:generic/{name}@{version}"
    refs = {n: _ref(i["metadata"]["name"], i["metadata"]["version"]) for n, i in installed.items()}
    components = [
        {
            "type": "library",
            "bom-ref": refs[n],
            "name": i["metadata"]["name"],
            "version": i["metadata"]["version"],
            "purl": refs[n],
            "scope": "required",
        }
        for n, i in sorted(installed.items())
    ]
    direct = sorted(refs[n] for n, i in installed.items() if i.get("requested"))
    dependencies = [{"ref": app_ref, "dependsOn": direct}]
    dependencies += [
        {"ref": refs[n], "dependsOn": sorted(refs[d] for d in edges[n])} for n in sorted(installed)
    ]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, app_ref)}",
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {
                "components": [{"type": "application", "name": "pip", "version": report.get("pip_version")}]
            },
            "component": {"type": "application", "bom-ref": app_ref, "name": name, "version": version},
        },
        "components": components,
        "dependencies": dependencies,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--timestamp", default="2026-11-22T00:00:00Z")
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    json.dump(build(report, args.name, args.version, args.timestamp), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
