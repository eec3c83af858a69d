"""Generated registry answers of typical size, for the fake registry the benchmarks run against.

``synthetic_pypi`` and ``synthetic_npm`` make one package's JSON document; ``answer_for`` is a
``FakeRegistry.fallback`` that answers any PyPI (``/pypi/NAME/json``, ``/pypi/NAME/VERSION/json``) or npm
(``/npm/NAME``) path with a generated document, so a whole organisation can be refreshed without a list of routes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import unquote

from bench.fake_registry import Route

LATEST = "1.39.0"


def synthetic_pypi(name: str, version: str = LATEST) -> bytes:
    """A PyPI JSON document of typical size (about 30 KB: 40 releases, a 10 KB description)."""
    releases = {
        f"1.{i}.0": [{"upload_time_iso_8601": f"20{10 + i // 4}-0{1 + i % 9}-01T00:00:00Z", "yanked": False}]
        for i in range(40)
    }
    info = {
        "name": name,
        "version": version,
        "summary": f"The {name} package",
        "description": ("Lorem ipsum dolor sit amet. " * 360),
        "license_expression": "MIT",
        "requires_python": ">=3.9",
        "classifiers": ["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"],
        "keywords": "bench,synthetic",
        "project_urls": {
            "Source": f"https://github.com/bench/{name}",
            "Funding": "https://github.com/sponsors/bench",
        },
        "requires_dist": ["idna>=2", "certifi; python_version >= '3.8'"],
    }
    return json.dumps(
        {"info": info, "releases": releases, "ownership": {"roles": [{"role": "Owner", "user": "bench"}]}}
    ).encode()


def synthetic_npm(name: str) -> bytes:
    """An npm packument of typical size (about 30 KB: 40 versions with their manifests, a 5 KB readme)."""
    bare = name.rsplit("/", 1)[-1]
    versions = {
        f"1.{i}.0": {
            "name": name,
            "version": f"1.{i}.0",
            "description": f"The {name} package",
            "license": "MIT",
            "repository": {"type": "git", "url": f"git+https://github.com/bench/{bare}.git"},
            "funding": {"type": "opencollective", "url": f"https://opencollective.com/{bare}"},
            "dependencies": {"tslib": "^2.0.0"},
            "keywords": ["bench", "synthetic"],
        }
        for i in range(40)
    }
    times = {v: f"20{10 + i // 4}-0{1 + i % 9}-01T00:00:00.000Z" for i, v in enumerate(versions)}
    return json.dumps(
        {
            "name": name,
            "dist-tags": {"latest": LATEST},
            "versions": versions,
            "time": {"created": "2010-01-01T00:00:00.000Z", **times},
            "maintainers": [{"name": "bench", "email": "bench@example.org"}],
            "readme": "Lorem ipsum dolor sit amet. " * 180,
        }
    ).encode()


@lru_cache(maxsize=4096)
def answer_for(path: str) -> Route | None:
    """The generated answer for a registry path (None: not a package path)."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    if parts[0] == "pypi" and len(parts) in (3, 4) and parts[-1] == "json":
        name = unquote(parts[1])
        return Route(synthetic_pypi(name, unquote(parts[2]) if len(parts) == 4 else LATEST))
    if parts[0] == "npm" and len(parts) == 2:
        return Route(synthetic_npm(unquote(parts[1])))
    return None
