"""Record the Maven, Go proxy, crates.io and Debian answers the offline tests read:
`python -m tests.registry.record_polyglot`.

Each answer is stored under ``tests/fixtures/registry/<ecosystem>/`` at its URL path, so the test transport
serves a file per path. The Debian indices are trimmed to the paragraphs of a few packages (whole
paragraphs, as the archive wrote them) and compressed again with xz; the crates.io index file keeps its
last versions; Go module zips keep their top-level licence files and go.mod. Re-running it refreshes the fixtures from today's registries.
"""

from __future__ import annotations

import io
import lzma
import sys
import tarfile
import zipfile
from pathlib import Path

import httpx

from collectors.registry.golang import semver_key
from collectors.registry.gomod import escape_path
from collectors.registry.licence_files import is_licence_file

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

DEBIAN_SECURITY = "https://deb.debian.org/debian-security"
#: The security suite's indices (saved under deb/security/): zlib has a newer version there, curl an older one.
DEBIAN_SECURITY_INDICES = {
    "/dists/bookworm-security/main/source/Sources.xz": {"curl", "zlib", "openssl"},
    "/dists/bookworm-security/main/binary-amd64/Packages.xz": {"libcurl4", "zlib1g", "libssl3"},
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
            elif member.name == "debian/changelog":
                handle = archive.extractfile(member)
                entries = (handle.read() if handle else b"").split(b"\n -- ")
                # The first five entries (each ends with its " -- name <mail>  date" trailer line).
                head = b"\n -- ".join(entries[:5]) + b"\n -- " + entries[5].split(b"\n", 1)[0] + b"\n"
                member.size = len(head)
                kept.addfile(member, io.BytesIO(head))
    return out.getvalue()


def _trim_module_zip(body: bytes, prefix: str) -> bytes:
    """A module zip cut down to what the tests read: its top-level licence files and go.mod."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(body)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kept,
    ):
        for info in archive.infolist():
            name = info.filename.removeprefix(prefix)
            if "/" not in name and (name == "go.mod" or is_licence_file(name)):
                kept.writestr(info, archive.read(info))
    return out.getvalue()


def record_go_zips(client: httpx.Client) -> None:
    """The module zip of each version in use, trimmed (``python -m tests.registry.record_polyglot --go-zips``)."""
    for module, in_use in GO_MODULES.items():
        path = f"/{escape_path(module)}/@v/{escape_path(in_use)}.zip"
        body = client.get(GOPROXY + path).raise_for_status().content
        _save("golang", path, _trim_module_zip(body, f"{module}@{in_use}/"))


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
    if "--go-zips" in sys.argv or "--debian-security" in sys.argv or "--debian-tars" in sys.argv:
        with httpx.Client(timeout=60, follow_redirects=True) as client:
            if "--go-zips" in sys.argv:
                record_go_zips(client)
            if "--debian-security" in sys.argv:
                record_debian_security(client)
            for path in DEBIAN_TARS if "--debian-tars" in sys.argv else []:
                _save("deb", path, _trim_debian_tar(client.get(DEBIAN + path).raise_for_status().content))
        return
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        record_go_zips(client)
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
        record_debian_security(client)


def record_debian_security(client: httpx.Client) -> None:
    """``python -m tests.registry.record_polyglot --debian-security`` (the pool of the security archive
    does not answer from every network: only its indices are recorded)."""
    for path, names in DEBIAN_SECURITY_INDICES.items():
        body = client.get(DEBIAN_SECURITY + path).raise_for_status().content
        _save("deb", "/security" + path, _paragraphs_of(body, names))


if __name__ == "__main__":
    main()
