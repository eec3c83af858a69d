"""Debian packages mapped to the system interfaces (data/catalogue/interfaces/debian.toml).

A container SBOM names Debian binary packages (``pkg:deb/debian/libssl3``); the catalogue lists them with the
lineage and steward of the upstream project they are built from, so they get standards rows, diversity and
exits like any other package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis.cli import main
from analysis.standards import step
from analysis.standards.assess import assess
from analysis.standards.catalogue import SHIPPED_DIR, load_catalogue
from collectors.paths import DATA_DIR
from collectors.store import read_connection, write_session

INTAKE_CONTAINER = DATA_DIR / "examples" / "intake-container" / "bom.cdx.json"
DISTRO = "?distro=debian-12"


@dataclass(frozen=True)
class _Options:
    catalogue_overlays: tuple[Path, ...] = ()
    now: datetime = datetime(2026, 12, 2, tzinfo=UTC)


#: The example container's Debian packages and the interfaces they implement.
EXPECTED = {
    "pkg:deb/debian/ca-certificates": {"ca-certificate-bundle"},
    "pkg:deb/debian/curl": {"http-client"},
    "pkg:deb/debian/libc6": {"c-standard-library"},
    "pkg:deb/debian/libcurl4": {"http-client"},
    "pkg:deb/debian/libexpat1": {"xml-parser"},
    "pkg:deb/debian/libgnutls30": {"tls-library"},
    "pkg:deb/debian/liblzma5": {"xz-compression"},
    "pkg:deb/debian/libnghttp2-14": {"http2-protocol"},
    "pkg:deb/debian/libpq5": {"postgresql-wire-protocol"},
    "pkg:deb/debian/libsqlite3-0": {"sqlite-library"},
    "pkg:deb/debian/libssl3": {"tls-library"},
    "pkg:deb/debian/libstdc%2B%2B6": {"cpp-standard-library"},
    "pkg:deb/debian/libxml2": {"xml-parser"},
    "pkg:deb/debian/libyaml-0-2": {"yaml"},
    "pkg:deb/debian/libzstd1": {"zstd-compression"},
    "pkg:deb/debian/openssl": {"tls-library"},
    "pkg:deb/debian/tzdata": {"timezone-database"},
    "pkg:deb/debian/zlib1g": {"deflate-compression"},
}
#: Left out on purpose: GCC's low-level runtime (unwinding, helpers) and libffi have no interface another
#: library offers in their place, so they get no standards row rather than an invented one.
UNMAPPED = {"pkg:deb/debian/libgcc-s1", "pkg:deb/debian/libffi8"}


def test_every_debian_package_of_the_example_container_gets_its_interfaces(db_path: Path) -> None:
    assert main(["import", "--db", str(db_path), str(INTAKE_CONTAINER)]) == 0
    with write_session(db_path, "standards") as session:
        step.run(session, _Options(), shipped=SHIPPED_DIR)
    with read_connection(db_path) as conn:
        stored = {
            str(r[0]) for r in conn.execute("SELECT purl FROM packages WHERE ecosystem = 'deb'").fetchall()
        }
        mapping: dict[str, set[str]] = {}
        for purl, interface in conn.execute("SELECT purl, interface_id FROM package_interfaces").fetchall():
            mapping.setdefault(str(purl).removesuffix(DISTRO), set()).add(str(interface))
        tls = conn.execute(
            "SELECT value, details::VARCHAR FROM scores WHERE subject_kind = 'package' AND subject = ? "
            "AND name = 'exit_options'",
            ["pkg:deb/debian/libssl3" + DISTRO],
        ).fetchone()
    # The container SBOM's Debian packages are stored with their release; the catalogue lists them once.
    assert {p.removesuffix(DISTRO) for p in stored} == set(EXPECTED) | UNMAPPED
    assert all(p.endswith(DISTRO) for p in stored)
    assert {p: i for p, i in mapping.items() if p.startswith("pkg:deb/")} == EXPECTED
    # libssl3 has exits of another lineage and steward (GnuTLS, NSS, Mbed TLS, wolfSSL...), not itself.
    assert tls is not None and tls[0] >= 1
    options = json.loads(tls[1])["options"]
    subjects = {o["purl_or_component"]: o["control"] for o in options}
    assert subjects["pkg:deb/debian/libgnutls30"] == "independent"
    assert subjects["pkg:deb/debian/openssl"] == "same lineage"
    assert "pkg:deb/debian/libssl3" not in subjects


def test_debian_packages_share_lineage_and_steward_with_their_upstream_components() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)

    def only(subject: str, interface: str) -> tuple[str, str]:
        [impl] = [i for i in catalogue.interfaces_of(subject) if i.interface == interface]
        return impl.lineage, impl.steward

    assert only("pkg:deb/debian/libssl3", "tls-library") == only("system:openssl", "tls-library")
    assert only("pkg:deb/debian/libgnutls30", "tls-library") == only("system:gnutls", "tls-library")
    assert only("pkg:deb/debian/libc6", "c-standard-library") == only("system:glibc", "c-standard-library")
    assert only("pkg:deb/debian/dash", "posix-shell") == only("system:dash", "posix-shell")
    assert only("pkg:deb/debian/tzdata", "timezone-database") == only("system:tzdata", "timezone-database")
    # Each new steward is in the catalogue, with the jurisdiction only where it is certain.
    assert catalogue.stewards["mit-kerberos-consortium"].country == "US"
    assert catalogue.stewards["tukaani-project"].country is None


def test_a_debian_tls_library_has_independent_exits_and_xz_has_none() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)
    common = {"usage": {}, "concentration": {}, "as_of_year": 2026}
    tls = assess(catalogue, "tls-library", "deb", "pkg:deb/debian/libssl3", **common)  # type: ignore[arg-type]
    assert tls.standardisation.value == 3
    assert tls.exit_options.value is not None and tls.exit_options.value >= 1
    # Only XZ Utils implements .xz in Debian: one lineage, one steward, a vendor-published format.
    xz = assess(catalogue, "xz-compression", "deb", "pkg:deb/debian/liblzma5", **common)  # type: ignore[arg-type]
    assert xz.subject_in_scope == "xz-compression@deb"
    assert xz.diversity.details["lineages"] == 1
    assert xz.fragility.label == "single-actor"
