"""The shipped catalogue against the example organisation's direct runtime dependencies.

Skipped while data/catalogue/ is not on the branch; it asserts the issue's coverage target (at least 80%
of the direct runtime dependencies classified) and facts that do not depend on how interfaces are named.
"""

from __future__ import annotations

import pytest

from analysis.standards.catalogue import SHIPPED_DIR, load_catalogue
from analysis.standards.detect import match_catalogue

pytestmark = pytest.mark.skipif(
    not (SHIPPED_DIR / "standards.toml").exists(), reason="data/catalogue/ is not on this branch yet"
)

DIRECT_RUNTIME = {
    "pypi": [
        # citizen-portal-api
        "fastapi", "uvicorn", "sqlalchemy", "psycopg", "alembic", "pydantic", "httpx", "pyjwt", "cryptography",
        "redis", "celery", "jinja2", "python-multipart", "structlog", "opentelemetry-api", "opentelemetry-sdk",
        "email-validator", "python-dateutil", "babel",
        # open-data-pipeline
        "requests", "lxml", "pyyaml", "psycopg2-binary", "pandas", "numpy", "pyarrow", "paramiko", "pika",
        "paho-mqtt", "openpyxl", "pillow", "jsonschema", "boto3", "click", "dnspython", "ldap3", "shapely",
        "tomli", "defusedxml",
    ],
    "npm": [
        "react", "react-dom", "react-router-dom", "axios", "date-fns", "i18next", "react-i18next", "leaflet",
        "chart.js", "dompurify", "marked", "zod", "jwt-decode", "%40tanstack/react-query", "ws",
    ],
}  # fmt: skip
PURLS = sorted({f"pkg:{eco}/{name}" for eco, names in DIRECT_RUNTIME.items() for name in names})


def test_at_least_80_percent_of_direct_runtime_dependencies_are_classified() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)
    classified = {m.purl for m in match_catalogue(PURLS, catalogue)}
    missing = sorted(set(PURLS) - classified)
    share = len(classified) / len(PURLS)
    print(f"\nclassified {len(classified)}/{len(PURLS)} = {share:.0%}; not classified: {missing}")
    assert share >= 0.8, missing


def test_the_jwt_libraries_of_both_ecosystems_implement_one_interface_following_rfc_7519() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)
    python = {i.interface for i in catalogue.interfaces_of("pkg:pypi/pyjwt")}
    javascript = {i.interface for i in catalogue.interfaces_of("pkg:npm/jwt-decode")}
    shared = python & javascript
    assert shared
    assert any("ietf:rfc7519" in catalogue.interfaces[i].standards for i in shared)
    assert all(catalogue.interfaces[i].scope == "ecosystem" for i in shared)


def test_language_runtimes_are_in_the_catalogue() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)
    assert catalogue.interfaces["python-language"].kind == "language"
    assert "ecma:262" in catalogue.interfaces["ecmascript"].standards
    assert len({i.lineage for i in catalogue.implementations_of("python-language")}) >= 2
