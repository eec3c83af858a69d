"""Record the Maven, Go proxy, crates.io and Debian answers the offline tests read:
`python -m tests.registry.record_polyglot`.

Each answer is stored under ``tests/fixtures/registry/<ecosystem>/`` at its URL path, so the test transport
serves a file per path. The Debian indices are trimmed to the paragraphs of a few packages (whole
paragraphs, as the archive wrote them) and compressed again with xz; the crates.io index file keeps its
last versions. Re-running it refreshes the fixtures from today's registries.
"""

from __future__ import annotations

import io
import lzma
import tarfile
from pathlib import Path

import httpx

from collectors.registry.golang import semver_key
from collectors.registry.gomod import escape_path

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "registry"
MAVEN = "https://repo.maven.apache.org/maven2"
MAVEN_PATHS = [
    "/com/fasterxml/jackson/core/jackson-databind/maven-metadata.xml",
    "/com/fasterxml/jackson/core/jackson-databind/2.17.0/jackson-databind-2.17.0.pom",
    "/com/fasterxml/jackson/jackson-base/2.17.0/jackson-base-2.17.0.pom",
    "/com/fasterxml/jackson/jackson-bom/2.17.0/jackson-bom-2.17.0.pom",
    "/com/fasterxml/jackson/jackson-parent/2.17/jackson-parent-2.17.pom",
    "/com/fasterxml/oss-parent/58/oss-parent-58.pom",
    "/org/junit/junit-bom/5.10.2/junit-bom-5.10.2.pom",  # imported by jackson-base's dependencyManagement
    "/com/fasterxml/jackson/core/jackson-annotations/maven-metadata.xml",
    "/com/fasterxml/jackson/core/jackson-core/maven-metadata.xml",
]
GOPROXY = "https://proxy.golang.org"
#: module -> the version in use in the tests (its .mod and .info are recorded, and the newest version's).
GO_MODULES = {
    "github.com/spf13/cobra": "v1.8.0",
    "github.com/golang/protobuf": "v1.5.4",
    "golang.org/x/text": "v0.14.0",
    "github.com/BurntSushi/toml": "v1.3.2",
}
CRATES_INDEX = "https://index.crates.io"
CRATE_PATHS = [(CRATES_INDEX, "/config.json"), (CRATES_INDEX, "/it/oa/itoa")]
#: Archives are at {dl}/{crate}/{version}/download, ``dl`` from the index's config.json (on crates.io
#: https://static.crates.io/crates; a mirror names its own).
CRATE_ARCHIVES = [("itoa", "1.0.11")]
DEBIAN = "https://deb.debian.org/debian"
DEBIAN_INDICES = {
    "/dists/bookworm/main/source/Sources.xz": {"curl", "zlib", "openssl"},
    "/dists/bookworm/main/binary-amd64/Packages.xz": {"curl", "libcurl4", "zlib1g", "libssl3", "openssl"},
}

#: debian.tar.xz archives whose upstream metadata and copyright the tests read (trimmed to those and control).
DEBIAN_TARS = [
    "/pool/main/c/curl/curl_7.88.1-10+deb12u15.debian.tar.xz",
    "/pool/main/z/zlib/zlib_1.2.13.dfsg-1.debian.tar.xz",
]


def _trim_debian_tar(body: bytes) -> bytes:
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(body), mode="r:xz") as archive,
        tarfile.open(fileobj=out, mode="w:xz") as kept,
    ):
        for member in archive:
            if member.name in ("debian/upstream/metadata", "debian/control", "debian/copyright"):
                kept.addfile(member, archive.extractfile(member))
    return out.getvalue()


def _save(ecosystem: str, path: str, body: bytes) -> None:
    target = HERE / ecosystem / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def _paragraphs_of(body: bytes, names: set[str]) -> bytes:
    kept: list[str] = []
    for paragraph in lzma.decompress(body).decode().split("\n\n"):
        first = paragraph.strip().split("\n", 1)[0]
        if first.startswith("Package: ") and first.removeprefix("Package: ").strip() in names:
            kept.append(paragraph.strip("\n"))
    return lzma.compress(("\n\n".join(kept) + "\n").encode())


def main() -> None:
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        for path in MAVEN_PATHS:
            _save("maven", path, client.get(MAVEN + path).raise_for_status().content)
        for module, in_use in GO_MODULES.items():
            base = f"/{escape_path(module)}/@v/"
            listed = client.get(GOPROXY + base + "list").raise_for_status().content
            _save("golang", base + "list", listed)
            newest = max(listed.decode().split(), key=semver_key)
            for version in {in_use, newest}:
                for tail in (".info", ".mod"):
                    path = base + escape_path(version) + tail
                    _save("golang", path, client.get(GOPROXY + path).raise_for_status().content)
        for base, path in CRATE_PATHS:
            body = client.get(base + path).raise_for_status().content
            if base == CRATES_INDEX:
                body = b"\n".join(body.splitlines()[-12:]) + b"\n"
            _save("cargo", path, body)
        dl = client.get(CRATES_INDEX + "/config.json").raise_for_status().json()["dl"].rstrip("/")
        for crate, version in CRATE_ARCHIVES:
            url = f"{dl}/{crate}/{version}/download"
            _save("cargo", httpx.URL(url).path, client.get(url).raise_for_status().content)
        for path, names in DEBIAN_INDICES.items():
            body = client.get(DEBIAN + path).raise_for_status().content
            _save("deb", path, _paragraphs_of(body, names))
        for path in DEBIAN_TARS:
            _save("deb", path, _trim_debian_tar(client.get(DEBIAN + path).raise_for_status().content))


if __name__ == "__main__":
    main()
