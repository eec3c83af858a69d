"""Public contact points of a project without a funding channel, for the outreach list.

Only what the project or the registries publish for anyone to see: the repository (its issue tracker is
where a maintainer can be asked to add a FUNDING.yml or funding.json) and the registry profile of each
person with publish rights. No e-mail address is copied: the profiles show what people chose to publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, unquote

from analysis.queries.budget import BudgetData

# Registry (``package_maintainers.source``) -> public profile page of a login.
_PROFILES = {"npm": "https://www.npmjs.com/~{}", "pypi": "https://pypi.org/user/{}/"}
#: Debian publishes each package's maintainers and uploaders on its package pages.
_DEBIAN_PAGE = "https://packages.debian.org/search?keywords={}&searchon=names&exact=1"
MAX_CONTACTS = 6


def contacts(data: BudgetData, project: str, purls: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    if project.startswith("https://"):
        out.append(project)
    for purl in purls:
        if purl.startswith("pkg:deb/") and not project.startswith("https://"):
            # Without a project page (a repository, or the source tracker page listing them): its package page.
            name = unquote(purl.split("?", 1)[0].rsplit("/", 1)[-1])
            out.append(_DEBIAN_PAGE.format(quote(name, safe="")))
        for source, login in data.maintainers.get(purl, ()):
            template = _PROFILES.get(source)
            if template:
                out.append(template.format(quote(login, safe="")))
    return tuple(dict.fromkeys(out))[:MAX_CONTACTS]
