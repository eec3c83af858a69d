"""Container image SBOMs: the operating-system packages an image ships are its dependencies, keyed with
their distribution.

The trivy-style fixtures are written by hand (trivy does not run here) in the shapes trivy documents
(https://trivy.dev/latest/docs/supply-chain/sbom/): an ``operating-system`` component (CycloneDX) or a
package of purpose OPERATING-SYSTEM (SPDX) that the image depends on or contains, and that depends on or
contains the distribution's packages; an ``application`` component without a purl grouping the packages of
one lockfile. The Debian packages, versions and Depends are those ``dpkg-query -s`` prints on this
machine (Debian 12); the Alpine ones are Alpine 3.20's.
"""

from __future__ import annotations

from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table

DEBIAN = "?distro=debian-12"


def test_trivy_style_cyclonedx_debian_image() -> None:
    inventory = read_file(FIXTURES / "container" / "trivy-style.cdx.json")
    assert inventory.name == "registry.example.org/estate/estate-api:1.0"
    assert table(inventory) == {
        f"pkg:deb/debian/gcc-12-base{DEBIAN}@12.2.0-14+deb12u1": ("runtime", "", 1),
        f"pkg:deb/debian/libc6{DEBIAN}@2.36-9+deb12u14": ("runtime", "", 1),
        f"pkg:deb/debian/libgcc-s1{DEBIAN}@12.2.0-14+deb12u1": ("runtime", "", 1),
        f"pkg:deb/debian/libssl3{DEBIAN}@3.0.19-1~deb12u2": ("runtime", "", 1),
        f"pkg:deb/debian/openssl{DEBIAN}@3.0.19-1~deb12u2": ("runtime", "", 1),
        f"pkg:deb/debian/zlib1g{DEBIAN}@1:1.2.13.dfsg-1": ("runtime", "", 1),
        f"pkg:deb/debian/ca-certificates{DEBIAN}@20230311+deb12u1": ("runtime", "", 1),
        f"pkg:deb/debian/debconf{DEBIAN}@1.5.82": ("runtime", "", 1),
        "pkg:pypi/requests@2.32.3": ("runtime", "", 1),  # under trivy's purl-less app/requirements.txt
    }
    # dpkg's Depends: 9 links between the 8 packages (debconf-2.0, an alternative, is not installed)
    assert len(inventory.edges) == 9
    assert (
        f"pkg:deb/debian/openssl{DEBIAN}@3.0.19-1~deb12u2",
        f"pkg:deb/debian/libssl3{DEBIAN}@3.0.19-1~deb12u2",
    ) in edges(inventory)
    assert inventory.skips == ()  # neither the operating system nor the lockfile group is a package


def test_trivy_style_spdx_alpine_image() -> None:
    inventory = read_file(FIXTURES / "container" / "trivy-style-alpine.spdx.json")
    assert inventory.name == "registry.example.org/estate/tiles:2.1"
    assert table(inventory) == {
        "pkg:apk/alpine/musl?distro=alpine-3.20@1.2.5-r0": ("runtime", "", 1),
        "pkg:apk/alpine/busybox?distro=alpine-3.20@1.36.1-r29": ("runtime", "", 1),
        "pkg:apk/alpine/ca-certificates-bundle?distro=alpine-3.20@20240705-r0": ("runtime", "", 1),
        "pkg:apk/alpine/zlib?distro=alpine-3.20@1.3.1-r1": ("runtime", "", 1),
    }
    assert len(inventory.edges) == 2  # busybox -> musl, zlib -> musl
    assert inventory.skips == ()
