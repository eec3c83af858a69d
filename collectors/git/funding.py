"""Funding files found in repositories: GitHub ``FUNDING.yml`` and the floss.fund ``funding.json``.

Keys and URL forms: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/
customizing-your-repository/displaying-a-sponsor-button-in-your-repository and https://fundingjson.org/.
Parsers are pure: bytes in, links out; an unparseable file raises :class:`InputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from collectors.errors import InputError

#: Where FUNDING.yml is looked for, first found wins (GitHub's own order).
FUNDING_YML_PATHS = (".github/FUNDING.yml", "FUNDING.yml", "docs/FUNDING.yml")
FUNDING_JSON_PATH = "funding.json"
#: Drips claims a repository with a ``FUNDING.json`` of its own shape (see ``parse_funding_manifest``).
DRIPS_JSON_PATH = "FUNDING.json"
_MAX_BYTES = 256 * 1024  # a funding.json is a few KiB; a bound on what is parsed

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
    import yaml  # imported here: most repositories have no FUNDING.yml, and the import takes 13 ms

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
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(where, f"not valid JSON ({exc})") from exc
    if isinstance(doc, dict) and isinstance(doc.get("drips"), dict) and "funding" not in doc:
        raise InputError(where, "a Drips FUNDING.json, not a funding.json (see parse_funding_manifest)")
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


#: funding.json ``plans[].frequency`` -> payments a year (``other`` and unknown values have none).
PER_YEAR = {"one-time": 1, "yearly": 1, "monthly": 12, "fortnightly": 26, "weekly": 52}
_MAX_ENTRIES = 200  # plans or history entries kept from one file: a bound on hostile input


@dataclass(frozen=True)
class FundingPlan:
    """One ``funding.plans[]`` entry (https://fundingjson.org/, v1.0.0): what the project asks for."""

    guid: str
    name: str
    status: str  # active | inactive
    amount: float  # 0 means "any amount"
    currency: str  # ISO 4217
    frequency: str  # one-time | weekly | fortnightly | monthly | yearly | other

    @property
    def yearly(self) -> float | None:
        """The amount a year, or None when the plan has no amount or no yearly rhythm."""
        times = PER_YEAR.get(self.frequency)
        return self.amount * times if times and self.amount > 0 else None


@dataclass(frozen=True)
class FundingHistory:
    """One ``funding.history[]`` entry: what the project says it received in a year."""

    year: int
    amount: float
    currency: str
    description: str


@dataclass(frozen=True)
class FundingManifest:
    """What one funding file says: ``kind`` is ``funding-json`` (floss.fund) or ``drips`` (a Drips
    ``FUNDING.json``, a different shape: ``{"drips": {NETWORK: {"ownedBy": ADDRESS}}}``)."""

    kind: str
    links: tuple[FundingLink, ...]
    plans: tuple[FundingPlan, ...] = ()
    history: tuple[FundingHistory, ...] = ()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value >= 0 else None


def _plans(funding: dict[str, Any]) -> tuple[FundingPlan, ...]:
    plans = funding.get("plans") or []
    out: list[FundingPlan] = []
    for plan in plans[:_MAX_ENTRIES] if isinstance(plans, list) else []:
        if not isinstance(plan, dict):
            continue
        amount = _number(plan.get("amount"))
        currency = str(plan.get("currency") or "").strip().upper()
        if amount is None or len(currency) != 3:
            continue
        out.append(
            FundingPlan(
                guid=str(plan.get("guid") or "")[:100],
                name=str(plan.get("name") or "")[:200],
                status=str(plan.get("status") or "active").strip().lower(),
                amount=amount,
                currency=currency,
                frequency=str(plan.get("frequency") or "other").strip().lower(),
            )
        )
    return tuple(out)


def _history(funding: dict[str, Any]) -> tuple[FundingHistory, ...]:
    entries = funding.get("history") or []
    out: list[FundingHistory] = []
    for entry in entries[:_MAX_ENTRIES] if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        year, amount = entry.get("year"), _number(entry.get("amount"))
        currency = str(entry.get("currency") or "").strip().upper()
        if not isinstance(year, int) or isinstance(year, bool) or amount is None or len(currency) != 3:
            continue
        out.append(FundingHistory(year, amount, currency, str(entry.get("description") or "")[:500]))
    return tuple(out)


def drips_url(repository_url: str) -> str | None:
    """The Drips project page of a GitHub repository (Drips claims projects by their GitHub URL)."""
    prefix = "https://github.com/"
    if not repository_url.startswith(prefix):
        return None
    owner_name = repository_url[len(prefix) :].strip("/")
    return (
        f"https://www.drips.network/app/projects/github/{owner_name}" if owner_name.count("/") == 1 else None
    )


def parse_funding_manifest(
    content: bytes, where: str = "funding.json", repository_url: str = ""
) -> FundingManifest:
    """A floss.fund ``funding.json`` (channels, plans, history) or a Drips ``FUNDING.json``.

    The two share a file name on case-insensitive systems but not a shape: a Drips file has a top-level
    ``drips`` object and no ``funding``; it names a Drips project (paid through drips.network), never plans.
    """
    if len(content) > _MAX_BYTES:
        raise InputError(where, f"larger than {_MAX_BYTES // 1024} KiB; not read")
    try:
        doc = json.loads(content.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(where, f"not valid JSON ({exc})") from exc
    if isinstance(doc, dict) and isinstance(doc.get("drips"), dict) and "funding" not in doc:
        url = drips_url(repository_url)
        links: tuple[FundingLink, ...] = (FundingLink(url, "drips", "drips"),) if url else ()
        return FundingManifest("drips", links)
    links = tuple(parse_funding_json(content, where))
    funding = doc["funding"]  # parse_funding_json checked it is an object
    return FundingManifest("funding-json", links, _plans(funding), _history(funding))
