"""Normalise the many spellings of a source repository into ``https://host/owner/repo``.

Only https URLs of recognised forges are kept as repository URLs: ``git://``, ``ssh`` and ``git+https``
forms are rewritten to https; anything else (a documentation site, an ``http://`` homepage) is not a
repository. npm shorthands follow npm's hosted-git-info (https://github.com/npm/hosted-git-info).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Forges with a known layout: host -> how many path segments name a repository.
_TWO_SEGMENTS = {
    "github.com",
    "bitbucket.org",
    "codeberg.org",
    "salsa.debian.org",
    "framagit.org",
    "git.sr.ht",
    "gitea.com",
    "notabug.org",
    "invent.kde.org",
    "gitlab.gnome.org",
    "gitlab.freedesktop.org",
}
_GITLAB_HOSTS = {"gitlab.com", "salsa.debian.org", "framagit.org", "invent.kde.org"}
# Path segments that end the repository part of a forge URL (tree views, issues, ...).
_STOP = {
    "-",
    "tree",
    "blob",
    "issues",
    "pulls",
    "pull",
    "merge_requests",
    "wiki",
    "src",
    "commits",
    "releases",
}
_SHORTHAND = re.compile(r"^(?:(github|gitlab|bitbucket|gist):)?([\w.-]+)/([\w.-]+?)(?:\.git)?(?:#.*)?$")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):(?!//)/?(.+)$")
_SHORTHAND_HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
#: Hosts that look like self-hosted forges (GitLab, Gitea, Forgejo, sourcehut instances).
_FORGE_HINT = re.compile(r"^(?:gitlab|git|gitea|forgejo|code|src|codeberg|hg)\.|gitlab|forgejo|gitea")


#: The Apache Software Foundation's git hosts (GitBox, and the older git-wip-us and git.apache.org). Every
#: repository there is the ASF's own GitHub repository of the same name, kept in step by GitBox
#: (https://infra.apache.org/git-primer.html): ``https://github.com/apache/NAME`` is where socle reads it.
#: Maven POMs of Apache projects (commons-lang3, lucene-core, commons-text) name only GitBox in ``<scm>``.
_APACHE_GIT_HOSTS = {"gitbox.apache.org", "git-wip-us.apache.org", "git.apache.org"}
_APACHE_NAME = re.compile(r"[A-Za-z0-9][\w.-]*")


def _apache_repository(path: str, query: str) -> str | None:
    """``https://github.com/apache/NAME`` for an ASF git URL: ``/repos/asf/NAME.git``, gitweb's
    ``/repos/asf?p=NAME.git;a=summary``, or git.apache.org's ``/NAME.git``; None for anything else."""
    segments = [s for s in path.split("/") if s]
    name = None
    if segments[:2] == ["repos", "asf"] and len(segments) >= 3:
        name = segments[2]
    elif segments == ["repos", "asf"]:
        params = dict(part.partition("=")[::2] for part in re.split(r"[;&]", query) if part)
        name = params.get("p")
    elif len(segments) == 1:
        name = segments[0]
    if name is None:
        return None
    name = name.removesuffix(".git")
    return f"https://github.com/apache/{name}" if _APACHE_NAME.fullmatch(name) else None


def is_forge_host(host: str) -> bool:
    return host in _TWO_SEGMENTS or host in _GITLAB_HOSTS or bool(_FORGE_HINT.search(host))


def normalise_repository_url(raw: object) -> str | None:
    """``https://host/owner/repo`` (no ``.git``, no trailing slash, lower-case host) or None."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > 2048 or any(c.isspace() for c in text):
        return None
    shorthand = _SHORTHAND.match(text)
    if shorthand and "://" not in text and "@" not in text:
        kind, owner, repo = shorthand.groups()
        if kind == "gist":
            return None
        return f"https://{_SHORTHAND_HOSTS.get(kind or 'github', 'github.com')}/{owner}/{repo}"
    scp = _SCP_LIKE.match(text)
    if scp and "://" not in text:
        text = f"https://{scp.group(1)}/{scp.group(2)}"
    text = re.sub(r"^(?:git\+)?(?:ssh|git|https?)://", "https://", text)
    if not text.startswith("https://"):
        return None
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in _APACHE_GIT_HOSTS:
        return _apache_repository(parts.path, parts.query)
    if not host or not is_forge_host(host):
        return None
    segments = [s for s in parts.path.split("/") if s]
    cut = next((i for i, s in enumerate(segments) if s in _STOP), len(segments))
    segments = segments[:cut]
    if host == "git.sr.ht":
        if len(segments) < 2 or not segments[0].startswith("~"):
            return None
        segments = segments[:2]
    elif host in _TWO_SEGMENTS and host not in _GITLAB_HOSTS:
        segments = segments[:2]
    # GitLab (and self-hosted forges) allow nested groups: keep every segment up to a view marker.
    if len(segments) < 2:
        return None
    segments[-1] = segments[-1].removesuffix(".git")
    if not all(re.fullmatch(r"~?[\w.-]+", s) for s in segments):
        return None
    return f"https://{host}/" + "/".join(segments)


def repository_from_links(links: list[tuple[str, str]]) -> str | None:
    """The first forge URL among (label, url) links, preferring source-like labels over homepages."""

    def rank(label: str) -> int:
        label = re.sub(r"[^a-z]", "", label.lower())
        if label in ("source", "sourcecode", "repository", "code", "github", "gitlab", "sourcehut"):
            return 0
        if label in ("homepage", "home"):
            return 2
        return 1

    for _, url in sorted(links, key=lambda item: rank(item[0])):
        found = normalise_repository_url(url)
        if found:
            return found
    return None


def safe_directory(raw: str | None) -> str | None:
    """A monorepo package's folder (npm ``repository.directory``) as a relative path inside the repository.

    The value comes from the registry: ``..`` segments, absolute paths, backslashes and control characters
    would point outside the repository (or at another one) when joined to its checkout, so they are dropped.
    """
    if raw is None:
        return None
    if any(ord(c) < 32 or c == "\\" for c in raw) or len(raw) > 1024:
        return None
    segments = [s for s in raw.strip().split("/") if s and s != "."]
    if not segments or any(s == ".." for s in segments):
        return None
    return "/".join(segments)
