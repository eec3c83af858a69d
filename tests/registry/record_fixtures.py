"""Record the offline fixtures once from the live registries: `python -m tests.registry.record_fixtures`.

Answers are trimmed (the last releases only, long texts cut) so the fixtures stay small; the tests read
them through ``httpx.MockTransport``. Re-running it refreshes the fixtures from today's registries.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "registry"
PYPI = ["attrs", "requests", "python-dateutil", "django", "pytest", "babel", "urllib3", "idna", "pyjwt"]
NPM = ["core-js", "chalk", "postcss", "nanoid", "date-fns", "react", "ws", "@babel/core", "vite", "request"]
KEEP = 12
TEXT = 2000


def _trim_text(value: object) -> object:
    return value[:TEXT] if isinstance(value, str) else value


def _version_key(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def trim_pypi(doc: dict) -> dict:
    releases = doc.get("releases") or {}
    kept = sorted(releases, key=_version_key)[-KEEP:]
    doc["releases"] = {
        v: [
            {k: f.get(k) for k in ("upload_time_iso_8601", "yanked", "yanked_reason", "packagetype")}
            for f in releases[v][:2]
        ]
        for v in kept
    }
    doc.pop("urls", None)
    doc.pop("vulnerabilities", None)
    doc["info"]["description"] = _trim_text(doc["info"].get("description"))
    return doc


def trim_npm(doc: dict) -> dict:
    versions = doc.get("versions") or {}
    latest = (doc.get("dist-tags") or {}).get("latest")
    kept = [v for v in list(versions)[-KEEP:]]
    if latest and latest not in kept:
        kept.append(latest)
    doc["versions"] = {
        v: {k: val for k, val in versions[v].items() if k not in ("readme", "dist", "_npmUser", "scripts")}
        for v in kept
    }
    times = doc.get("time") or {}
    doc["time"] = {k: v for k, v in times.items() if k in kept or k in ("created", "modified")}
    doc["readme"] = _trim_text(doc.get("readme"))
    return doc


def main() -> None:
    with httpx.Client(
        timeout=60, headers={"User-Agent": "socle/0.1.0 (+https://github.com/socle-commons/socle)"}
    ) as client:
        for name in PYPI:
            doc = client.get(f"https://pypi.org/pypi/{name}/json").raise_for_status().json()
            (HERE / "pypi" / f"{name}.json").write_text(json.dumps(trim_pypi(doc), indent=1, sort_keys=True))
            version = "2.31.0" if name == "requests" else None
            answer = client.get(f"https://pypi.org/pypi/{name}/{version}/json") if version else None
            if answer is not None and answer.status_code == 200:
                vdoc = answer.json()
                (HERE / "pypi" / f"{name}@{version}.json").write_text(
                    json.dumps(trim_pypi(vdoc), indent=1, sort_keys=True)
                )
        for name in NPM:
            doc = client.get(f"https://registry.npmjs.org/{quote(name, safe='@')}").raise_for_status().json()
            (HERE / "npm" / f"{name.replace('/', '__')}.json").write_text(
                json.dumps(trim_npm(doc), indent=1, sort_keys=True)
            )
        missing = client.get("https://pypi.org/pypi/this-package-does-not-exist-socle/json")
        (HERE / "pypi" / "_404.txt").write_text(f"{missing.status_code}\n")


if __name__ == "__main__":
    main()
