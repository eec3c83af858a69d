"""Every score and class the dashboard shows, in a sentence or two a finance person can read. The Glossary
page lists them; pages use them as help texts, so a term is explained the same way everywhere."""

from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "criticality": "How much the organisation depends on a package, from 0 to 1: how many applications use "
    "it, directly or not, how deep, in production or only for development, and how many other packages need it.",
    "risk": "How likely a package is to fail the organisation, from 0 (safe) to 1 (most at risk): the weighted "
    "mean of its components (truck factor, active maintainers, fragility, staleness, deprecation, funding...). "
    "Components that are not known are left out and lower the confidence; they are never guessed.",
    "truck factor": "Also called the bus factor: the smallest number of developers who together wrote more "
    "than half of the files (Avelino et al., 2016). 1 means one person's departure leaves most of the code "
    "without an author.",
    "bus factor": "Another name for the truck factor: how many people would have to leave before most of "
    "the code has no author left.",
    "contributor absence factor": "The smallest number of people who made half of the commits (CHAOSS).",
    "pony factor": "The smallest number of committers whose commits make up at least half of all commits.",
    "elephant factor": "The smallest number of organisations (from commit e-mail domains) that made half of "
    "the affiliated commits (CHAOSS). 1 means one organisation steers the project.",
    "active maintainers": "People who made at least a few commits in the last 12 months.",
    "commit HHI": "Herfindahl-Hirschman index of commits per person: above 1,800 of 10,000 the work is "
    "highly concentrated.",
    "standardisation": "How open the standard behind a package's interface is: 3 a standards body (IETF, "
    "ISO, W3C...), 2 an open community specification, 1 one vendor's specification, 0 none.",
    "N2 (implementation diversity)": "The effective number of independent implementations of an interface "
    "(inverse Simpson index of their usage shares, counted by code family and by steward, the smaller kept). "
    "1 means one implementation in practice; 3 or more means real choice.",
    "fragility": "A class from standardisation and N2: commons-grade, vigilance or single-actor.",
    "commons-grade": "An open standard (2 or more), at least three effective implementations (N2 >= 3) and "
    "none holding two thirds of use: the organisation can move if it must.",
    "vigilance": "Between the two: a standard with little diversity, or diversity without a standard. Watch "
    "it and know where you would go.",
    "single-actor": "No open standard and one steward in practice: leaving means rewriting.",
    "exit options": "Other implementations of the same interface the organisation could move to, with who "
    "stewards them, under which law, and their own truck factor.",
    "steward": "The organisation or group that controls a project: a company, a foundation, a community, an "
    "individual or a public body (catalogue, with a source for each).",
    "cut-off": "The harm of losing access: a forge, registry, funding platform or steward that can withdraw, "
    "delete or relicense, or be compelled to (sanctions, court orders). Mirrors and independent "
    "implementations mitigate it.",
    "control": "The harm of one company deciding the roadmap and the licence from another jurisdiction, as "
    "when Redis, Terraform, Vault, Elasticsearch or MongoDB changed their licences.",
    "CLOUD Act": "A US law of 2018 that lets US authorities require US providers to hand over data they "
    "control wherever it is stored: it reaches forges, registries and platforms operated by US companies.",
    "critical weight": "The sum of the criticality of the dependencies concerned: a share of it says how much "
    "of what the organisation depends on has a property, not merely how many packages.",
    "OpenSSF criticality": "The OpenSSF Criticality Score (0 to 1) from the signals socle has: a project's "
    "importance to the wider ecosystem, not to this organisation.",
    "funding channel": "A way to pay a project: GitHub Sponsors, Open Collective, Liberapay, Tidelift... from "
    "its registry metadata, lockfile or FUNDING.yml.",
    "fiscal host": "The legal entity that receives money on behalf of a project without one of its own (Open "
    "Source Collective in the US, Open Collective Europe in Belgium...).",
    "not known": "socle did not collect this fact, or could not: the page says why. An unknown never raises "
    "or lowers a score; it lowers the confidence.",
}


def term(name: str) -> str:
    """The explanation of ``name`` (a KeyError for a term nobody wrote down: the tests catch it)."""
    return GLOSSARY[name]
