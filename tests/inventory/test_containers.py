"""Container image SBOMs: the operating-system packages an image ships are its dependencies, keyed with
their distribution; those no other package depends on are direct, the others sit at their depth in the
packages' own graph (dpkg's Depends), whatever the tool and the format.

container/syft-rootfs.*: syft 1.57.2 (`go install github.com/anchore/syft/cmd/syft@latest`, through the Go
proxy) on container/rootfs, a root filesystem of /etc/os-release and a dpkg status file of 8 packages
written by `dpkg-query -s` on this machine: ``syft scan dir:container/rootfs -o cyclonedx-json=... -o
spdx-json=... -o cyclonedx-xml=...`` (syft writes CycloneDX 1.7).

The trivy-style fixtures are written by hand (trivy does not run here) in the shapes trivy documents
(https://trivy.dev/latest/docs/supply-chain/sbom/): an ``operating-system`` component (CycloneDX) or a
package of purpose OPERATING-SYSTEM (SPDX) that the image depends on or contains, and that depends on or
contains the distribution's packages; an ``application`` component without a purl grouping the packages of
one lockfile. The Debian packages, versions and Depends are those ``dpkg-query -s`` prints on this
machine (Debian 12); the Alpine ones are Alpine 3.20's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table

DEBIAN = "?distro=debian-12"


#: The dpkg status file's view: 8 packages, 9 Depends links (debconf-2.0, an alternative, is not
#: installed); ca-certificates and zlib1g are what nothing else depends on.
DPKG_VIEW = {
    f"pkg:deb/debian/ca-certificates{DEBIAN}@20230311+deb12u1": ("runtime", "", 1),
    f"pkg:deb/debian/zlib1g{DEBIAN}@1:1.2.13.dfsg-1": ("runtime", "", 1),
    f"pkg:deb/debian/debconf{DEBIAN}@1.5.82": ("runtime", "", 2),
    f"pkg:deb/debian/openssl{DEBIAN}@3.0.19-1~deb12u2": ("runtime", "", 2),
    f"pkg:deb/debian/libc6{DEBIAN}@2.36-9+deb12u14": ("runtime", "", 2),  # zlib1g -> libc6
    f"pkg:deb/debian/libssl3{DEBIAN}@3.0.19-1~deb12u2": ("runtime", "", 3),
    f"pkg:deb/debian/libgcc-s1{DEBIAN}@12.2.0-14+deb12u1": ("runtime", "", 3),  # libc6 <-> libgcc-s1
    f"pkg:deb/debian/gcc-12-base{DEBIAN}@12.2.0-14+deb12u1": ("runtime", "", 4),
}


@pytest.mark.parametrize("name", ["syft-rootfs.cdx.json", "syft-rootfs.cdx.xml", "syft-rootfs.spdx.json"])
def test_syft_scan_of_a_debian_root_filesystem(name: str) -> None:
    inventory = read_file(FIXTURES / "container" / name)
    assert table(inventory) == DPKG_VIEW
    assert len(inventory.edges) == 9
    assert inventory.skips == ()  # the operating system and the status file are not packages


def test_trivy_style_cyclonedx_debian_image() -> None:
    inventory = read_file(FIXTURES / "container" / "trivy-style.cdx.json")
    assert inventory.name == "registry.example.org/estate/estate-api:1.0"
    assert table(inventory) == {
        **DPKG_VIEW,
        "pkg:pypi/requests@2.32.3": ("runtime", "", 1),  # under trivy's purl-less app/requirements.txt
    }
    assert len(inventory.edges) == 9
    assert (
        f"pkg:deb/debian/openssl{DEBIAN}@3.0.19-1~deb12u2",
        f"pkg:deb/debian/libssl3{DEBIAN}@3.0.19-1~deb12u2",
    ) in edges(inventory)
    assert inventory.skips == ()  # neither the operating system nor the lockfile group is a package


ALPINE_VIEW = {
    "pkg:apk/alpine/busybox?distro=alpine-3.20@1.36.1-r29": ("runtime", "", 1),
    "pkg:apk/alpine/ca-certificates-bundle?distro=alpine-3.20@20240705-r0": ("runtime", "", 1),
    "pkg:apk/alpine/zlib?distro=alpine-3.20@1.3.1-r1": ("runtime", "", 1),
    "pkg:apk/alpine/musl?distro=alpine-3.20@1.2.5-r0": ("runtime", "", 2),
}


def test_syft_scan_of_an_alpine_root_filesystem() -> None:
    """container/alpinefs: an apk installed database of 4 packages, written by hand in apk's format
    (no apk here), and Alpine 3.20.3's os-release; scanned by syft 1.57.2 into syft-alpinefs.cdx.json.
    syft resolves busybox's and zlib's ``so:libc.musl-x86_64.so.1`` to musl: 2 edges."""
    inventory = read_file(FIXTURES / "container" / "syft-alpinefs.cdx.json")
    assert table(inventory) == ALPINE_VIEW
    assert len(inventory.edges) == 2


def test_trivy_style_spdx_alpine_image() -> None:
    inventory = read_file(FIXTURES / "container" / "trivy-style-alpine.spdx.json")
    assert inventory.name == "registry.example.org/estate/tiles:2.1"
    assert table(inventory) == ALPINE_VIEW
    assert table(inventory) == {
        "pkg:apk/alpine/busybox?distro=alpine-3.20@1.36.1-r29": ("runtime", "", 1),
        "pkg:apk/alpine/ca-certificates-bundle?distro=alpine-3.20@20240705-r0": ("runtime", "", 1),
        "pkg:apk/alpine/zlib?distro=alpine-3.20@1.3.1-r1": ("runtime", "", 1),
        "pkg:apk/alpine/musl?distro=alpine-3.20@1.2.5-r0": ("runtime", "", 2),
    }
    assert len(inventory.edges) == 2  # busybox -> musl, zlib -> musl
    assert inventory.skips == ()


def test_a_dependency_cycle_alone_in_an_image_is_still_shipped(tmp_path: Path) -> None:
    """The image's operating system lists libc6 and libgcc-s1 only, which depend on each other: one of
    them is taken as direct, so neither has an unknown depth."""
    doc = json.loads((FIXTURES / "container" / "trivy-style.cdx.json").read_text())
    kept = ("libc6", "libgcc-s1")

    def wanted(ref: str) -> bool:
        return not ref.startswith("pkg:") or any(f"/{k}@" in ref for k in kept)

    doc["components"] = [c for c in doc["components"] if wanted(c["bom-ref"])]
    doc["dependencies"] = [
        {"ref": d["ref"], "dependsOn": [r for r in d["dependsOn"] if wanted(r)]}
        for d in doc["dependencies"]
        if wanted(d["ref"]) or d["ref"].startswith("pkg:oci/")
    ]
    path = tmp_path / "cycle.cdx.json"
    path.write_text(json.dumps(doc))
    rows = table(read_file(path))
    assert sorted(depth or 0 for _, _, depth in rows.values()) == [1, 2]
