"""``socle explain PKG`` and the dashboard's dependency card: the questions answered in plain sentences
with numbers and sources. Pure: every input is read beforehand (``analysis.queries.sovereignty``).

The questions (issue 16): where is it critical for me, how grave is it, can I get out, who controls it and
under which law, and what to fund.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.queries.sovereignty import DependencyFacts, StewardFact, purl_name
from analysis.sovereignty.control import Control, exit_options

#: The risk signals of ``analysis.signals`` (vulnerabilities from scanners and OSV, lifecycle, libyears), each
#: shown with its reason when the store has it.
RISK_SIGNALS = (
    ("vulnerabilities", "Known vulnerabilities (highest severity)"),
    ("lifecycle", "Lifecycle"),
    ("libyear", "Libyears behind the newest release"),
)
RISK_SIGNALS_SLOT = (
    "Known vulnerabilities and lifecycle: not known, because none has been collected for it yet (socle "
    "vulnerabilities import reads scanners' reports; socle refresh computes the lifecycle)."
)
_RISK_WORDS = {
    "truck_factor": "truck factor",
    "contributor_absence_factor": "contributor absence",
    "active_maintainers": "active maintainers",
    "fragility": "fragility of its interface",
    "commit_staleness": "time since the last commit",
    "release_staleness": "time since the last release",
    "release_cadence": "release cadence",
    "deprecated": "deprecation",
    "yanked": "yanked releases",
    "funding": "funding",
}


@dataclass(frozen=True)
class Sentence:
    text: str
    source: str | None = None  # a URL, or where in the store the number comes from


@dataclass(frozen=True)
class Section:
    question: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class BudgetLine:
    """This dependency's line in a proposal: how much, out of which total, and through which channel."""

    project: str
    amount: int
    total: int
    currency: str
    method: str
    channel: str
    left_out: str | None = None  # why the proposal left it out, when it did


@dataclass(frozen=True)
class Explanation:
    purl: str
    name: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        lines = [f"{self.name} ({self.purl})"]
        for section in self.sections:
            lines += ["", section.question]
            for sentence in section.sentences:
                source = f" [source: {sentence.source}]" if sentence.source else ""
                lines.append(f"  - {sentence.text}{source}")
        return "\n".join(lines)


def _number(value: float | None, fmt: str = "{:.2f}") -> str:
    return "not known" if value is None else fmt.format(value)


def _score_sentence(
    facts: DependencyFacts, name: str, label: str, fmt: str = "{:.0f}", *, value_and_label: bool = False
) -> Sentence:
    score = facts.score(name)
    if score is None:
        return Sentence(f"{label}: not known (this score was not computed for it).")
    if score.status != "ok":
        return Sentence(f"{label}: not known, because {score.reason[:1].lower()}{score.reason[1:]}")
    value = _number(score.value, fmt) if score.value is not None else None
    if value_and_label and value is not None and score.label:
        shown = f"{value} ({score.label})"  # a count and its class: 2 advisories, the worst of them high
    else:
        shown = score.label or value or "not known"
    return Sentence(f"{label}: {shown}. {score.reason}", f"scores.{name}")


def where(facts: DependencyFacts, paths: Mapping[str, str]) -> Section:
    apps = sorted({u.application for u in facts.usage})
    if not apps:
        return Section(
            "Where is it critical for me?", (Sentence("No application of the organisation uses it."),)
        )
    direct = sorted({u.application for u in facts.usage if u.direct})
    out = [
        Sentence(
            f"{len(apps)} application(s) use it: {', '.join(apps)}; directly in {len(direct)}.",
            "app_packages",
        )
    ]
    for app in apps:
        if app in paths:
            steps = " → ".join(purl_name(step) for step in paths[app].split(" → "))
            out.append(Sentence(f"Path in {app}: {steps}.", "app_edges"))
    criticality = facts.score("criticality")
    if criticality is not None and criticality.value is not None:
        out.append(
            Sentence(f"Criticality {criticality.value:.2f} of 1: {criticality.reason}", "scores.criticality")
        )
    else:
        out.append(Sentence("Criticality: not known (no criticality score computed yet: run socle refresh)."))
    return Section("Where is it critical for me?", tuple(out))


def component_values(components: Mapping[str, Any]) -> dict[str, float]:
    """Risk components as the risk score stores them (``{name: {"value": v, "weight": w}}``), or as plain
    numbers, to ``{name: value}``; components without a value are left out."""
    values: dict[str, float] = {}
    for name, entry in components.items():
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[str(name)] = float(value)
    return values


def how_grave(facts: DependencyFacts) -> Section:
    out = []
    risk = facts.score("risk")
    if risk is not None and risk.value is not None:
        out.append(
            Sentence(f"Risk {risk.value:.2f} of 1 (1 is the most at risk): {risk.reason}", "scores.risk")
        )
        components = component_values(risk.details.get("components") or {})
        parts = [
            f"{_RISK_WORDS.get(name, name)} {value:.2f}"
            for name, value in sorted(components.items(), key=lambda kv: -kv[1])
        ]
        if parts:
            out.append(
                Sentence("Risk components (0 safe, 1 at risk): " + ", ".join(parts) + ".", "scores.risk")
            )
    else:
        out.append(Sentence("Risk: not known (no risk score computed yet: run socle refresh)."))
    out.append(_score_sentence(facts, "truck_factor", "Bus factor (truck factor)"))
    out.append(_score_sentence(facts, "active_maintainers", "Active maintainers in the last 12 months"))
    out.append(_score_sentence(facts, "days_since_last_commit", "Days since the last commit"))
    signals = [
        _score_sentence(
            facts,
            name,
            label,
            "{:.1f}" if name == "libyear" else "{:.0f}",
            value_and_label=name == "vulnerabilities",
        )
        for name, label in RISK_SIGNALS
        if facts.score(name) is not None
    ]
    out += signals or [Sentence(RISK_SIGNALS_SLOT)]
    return Section("How grave would a failure be?", tuple(out))


def way_out(facts: DependencyFacts, stewards: Mapping[str, StewardFact]) -> Section:
    if not facts.interfaces:
        return Section(
            "Can I get out?",
            (
                Sentence(
                    "Not known: the catalogue does not say which interface it implements, so neither its "
                    "standard nor its alternatives are known (the Standards page's review list proposes some)."
                ),
            ),
        )
    out = [Sentence(f"It implements {', '.join(facts.interfaces)} (catalogue).", "data/catalogue")]
    out.append(_score_sentence(facts, "standardisation", "Standard behind it (0 none to 3 a standards body)"))
    out.append(
        _score_sentence(facts, "implementation_diversity", "Independent implementations (N2)", "{:.1f}")
    )
    out.append(_score_sentence(facts, "fragility", "Fragility class"))
    options = exit_options(facts, stewards)
    if not options:
        out.append(Sentence("No exit option is listed in the catalogue: there is nowhere to move today."))
    for option in options[:8]:
        marks = f" [{', '.join(option.marks)}]" if option.marks else ""
        steward = option.steward or "a steward not known"
        health = (
            f"truck factor {_number(option.truck_factor, '{:.0f}')}, "
            f"{_number(option.active_maintainers, '{:.0f}')} active maintainers"
        )
        lineage = (
            "independent" if option.independent else "not independent (same control or same code family)"
        )
        cost = f"cost: {option.cost}; " if option.cost else ""
        out.append(
            Sentence(
                f"Exit option {option.name}: stewarded by {steward} ({option.jurisdiction}){marks}; {cost}"
                f"{lineage}; {health}.",
                "scores.exit_options",
            )
        )
    return Section("Can I get out?", tuple(out))


def who_controls(control: Control) -> Section:
    out = [Sentence(text, control.controller.source) for text in control.control()[:1]]
    for change, text in zip(control.licence_changes, control.control()[1:], strict=True):
        out.append(Sentence("Licence change: " + text, change.source))
    out += [Sentence("Cut-off: " + fact.text, fact.source) for fact in (control.forge, control.registry)]
    if control.funding:
        out += [Sentence("Funding: " + fact.text, fact.source) for fact in control.funding]
    else:
        out.append(Sentence("Funding: no funding channel is known, so no fiscal host either."))
    return Section("Who controls it, under which law?", tuple(out))


def what_to_fund(facts: DependencyFacts, line: BudgetLine | None) -> Section:
    if line is None:
        return Section(
            "What to fund?",
            (
                Sentence(
                    "Not known: no budget proposal can be made from this store yet (socle budget says why)."
                ),
            ),
        )
    if line.left_out is not None:
        return Section(
            "What to fund?",
            (Sentence(f"The '{line.method}' proposal leaves it out: {line.left_out}.", "socle budget"),),
        )
    share = line.amount / line.total if line.total else 0.0
    return Section(
        "What to fund?",
        (
            Sentence(
                f"Its project gets {line.amount:,} {line.currency} of {line.total:,} ({share:.1%}) in the "
                f"'{line.method}' proposal, through: {line.channel}.",
                "socle budget",
            ),
        ),
    )


def explain(
    facts: DependencyFacts,
    control: Control,
    stewards: Mapping[str, StewardFact],
    paths: Mapping[str, str],
    line: BudgetLine | None,
) -> Explanation:
    return Explanation(
        facts.purl,
        facts.name,
        (
            where(facts, paths),
            how_grave(facts),
            way_out(facts, stewards),
            who_controls(control),
            what_to_fund(facts, line),
        ),
    )
