"""A folder of OSV records, for organisations without network access to a vulnerability database.

OSV publishes every ecosystem's records as ``ECOSYSTEM/all.zip`` (https://google.github.io/osv.dev/data/);
unpacked folders of ``*.json`` records work too. Records are read one at a time (a zip member, a file), and
only those naming a package in use are kept. An ecosystem is covered when the folder holds records of it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.vulnerabilities.model import Coverage, Finding, VulnerabilityReport
from collectors.vulnerabilities.osv import ECOSYSTEMS, findings

SOURCE = "osv"
#: One OSV record is a few kilobytes; a larger member is not a record.
MAX_RECORD_BYTES = 8 * 1024 * 1024


def _records(folder: Path) -> Iterator[tuple[str, Any]]:
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".zip" and path.is_file():
            try:
                with zipfile.ZipFile(path) as archive:
                    for info in archive.infolist():
                        if info.filename.endswith(".json") and info.file_size <= MAX_RECORD_BYTES:
                            yield f"{path}:{info.filename}", archive.read(info)
            except zipfile.BadZipFile as exc:
                raise InputError(str(path), f"not a zip archive ({exc})") from exc
        elif path.suffix == ".json" and path.is_file() and path.stat().st_size <= MAX_RECORD_BYTES:
            yield str(path), path.read_bytes()


def read(folder: Path, wanted: Mapping[str, set[str]]) -> VulnerabilityReport:
    """Findings on the versions in use (``wanted``: purl -> versions) from every record in ``folder``."""
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder of OSV records")
    found: list[Finding] = []
    seen_ecosystems: set[str] = set()
    skipped: list[tuple[str, str]] = []
    for where, raw in _records(folder):
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            skipped.append((where, "not an OSV record (invalid JSON)"))
            continue
        if not isinstance(record, Mapping):
            continue
        for affected in record.get("affected") or []:
            package = affected.get("package") if isinstance(affected, Mapping) else None
            if isinstance(package, Mapping):
                ecosystem = str(package.get("ecosystem", "")).split(":", 1)[0]
                if ecosystem in ECOSYSTEMS:
                    seen_ecosystems.add(ECOSYSTEMS[ecosystem])
        found.extend(findings(record, wanted, SOURCE))
    covered = [
        Coverage(purl, version)
        for purl, versions in wanted.items()
        if purl.split(":", 1)[1].split("/", 1)[0] in seen_ecosystems
        for version in sorted(versions)
    ]
    return VulnerabilityReport(SOURCE, tuple(found), tuple(covered), tuple(skipped))
