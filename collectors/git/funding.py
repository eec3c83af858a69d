"""Funding files found in repositories: GitHub ``FUNDING.yml`` and the floss.fund ``funding.json``.

Keys and URL forms: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/
customizing-your-repository/displaying-a-sponsor-button-in-your-repository and https://fundingjson.org/.
Parsers are pure: bytes in, links out; an unparseable file raises :class:`InputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from collectors.errors import InputError

#: Where FUNDING.yml is looked for, first found wins (GitHub's own order).
FUNDING_YML_PATHS = (".github/FUNDING.yml", "FUNDING.yml", "docs/FUNDING.yml")
FUNDING_JSON_PATH = "funding.json"

_TEMPLATES: dict[str, str] = {
    "github": "https://github.com/sponsors/{}",
    "open_collective": "https://opencollective.com/{}",
    "patreon": "https://www.patreon.com/{}",
    "ko_fi": "https://ko-fi.com/{}",
    "liberapay": "https://liberapay.com/{}",
    "tidelift": "https://tidelift.com/funding/github/{}",
    "community_bridge": "https://funding.communitybridge.org/projects/{}",
    "issuehunt": "https://issuehunt.io/r/{}",
    "polar": "https://polar.sh/{}",
    "buy_me_a_coffee": "https://www.buymeacoffee.com/{}",
    "thanks_dev": "https://thanks.dev/{}",
    "otechie": "https://otechie.com/{}",
    "lfx_crowdfunding": "https://crowdfunding.lfx.linuxfoundation.org/projects/{}",
}


@dataclass(frozen=True)
class FundingLink:
    url: str
    label: str  # the FUNDING.yml key, or the funding.json channel/plan type
    source: str  # funding-yml | funding-json


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, (str, int, float)):
            text = str(item).strip().strip("'\"").strip()
            if text:
                out.append(text)
    return out


def parse_funding_yml(content: bytes, where: str = "FUNDING.yml") -> list[FundingLink]:
    try:
        doc = yaml.safe_load(content.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(where, f"not valid YAML ({exc})") from exc
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise InputError(where, "expected a mapping of platform keys")
    links: list[FundingLink] = []
    for key, value in doc.items():
        key = str(key).strip().lower()
        for item in _values(value):
            if key == "custom":
                url = item if "://" in item else f"https://{item}"
                if not url.lower().startswith(("https://", "http://")):
                    continue
            elif key == "thanks_dev":
                url = _TEMPLATES[key].format(item.lstrip("/"))
            elif key in _TEMPLATES:
                if ("/" in item and key != "tidelift") or " " in item:
                    continue
                url = _TEMPLATES[key].format(item)
            else:
                continue
            links.append(FundingLink(url=url, label=key, source="funding-yml"))
    return links


def parse_funding_json(content: bytes, where: str = "funding.json") -> list[FundingLink]:
    """The channels of a funding.json whose address is a web URL (bank and other channels are not links)."""
    try:
        doc = json.loads(content.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(where, f"not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("funding"), dict):
        raise InputError(where, "no funding object (see https://fundingjson.org/)")
    links: list[FundingLink] = []
    channels = doc["funding"].get("channels") or []
    if not isinstance(channels, list):
        raise InputError(where, "funding.channels is not a list")
    for channel in channels:
        if not isinstance(channel, dict):
            continue
        address = str(channel.get("address") or "").strip()
        if address.lower().startswith(("https://", "http://")):
            label = str(channel.get("type") or "other")
            links.append(FundingLink(url=address, label=label, source="funding-json"))
    return links
