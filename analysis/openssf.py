"""The OpenSSF criticality score (v2), computed from the signals socle has.

Formula (Rob Pike's, as implemented by https://github.com/ossf/criticality_score, default config
``config/scorer/original_pike.yml``)::

    C = (1 / sum(a_i)) * sum( a_i * ln(1 + S_i) / ln(1 + max(S_i, T_i)) )

S_i is a signal, T_i its threshold, a_i its weight. A missing signal is left out of *both* sums, so a
score over fewer signals is comparable in scale, not in content: the score's details list what was left
out. For "smaller is better" signals (``updated_since``) the term is inverted (1 minus the term).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.score import Score, Status

VERSION = "2.0"


@dataclass(frozen=True)
class Signal:
    """One default signal of the v2 scorer: weight a_i, threshold T_i, direction."""

    name: str
    weight: float
    threshold: float
    smaller_is_better: bool = False


#: The defaults of ossf/criticality_score v2 (original Pike configuration).
SIGNALS: tuple[Signal, ...] = (
    Signal("created_since", 1, 120),
    Signal("updated_since", 1, 120, smaller_is_better=True),
    Signal("contributor_count", 2, 5000),
    Signal("org_count", 1, 10),
    Signal("commit_frequency", 1, 1000),
    Signal("recent_release_count", 0.5, 26),
    Signal("updated_issues_count", 0.5, 5000),
    Signal("closed_issues_count", 0.5, 5000),
    Signal("issue_comment_frequency", 1, 15),
    Signal("github_mention_count", 2, 500000),
)

#: The signals socle can measure from registries and git history; the others are always missing.
MEASURED = (
    "created_since",
    "updated_since",
    "contributor_count",
    "org_count",
    "commit_frequency",
    "recent_release_count",
)


def term(signal: Signal, value: float) -> float:
    """One signal's term in [0, 1]: ln(1+S)/ln(1+max(S,T)), inverted when smaller is better."""
    value = max(0.0, value)
    t = math.log1p(value) / math.log1p(max(value, signal.threshold))
    return 1.0 - t if signal.smaller_is_better else t


def criticality(signals: Mapping[str, float | None]) -> float | None:
    """The weighted mean over the signals present; None when none is present."""
    total_weight = 0.0
    total = 0.0
    for signal in SIGNALS:
        value = signals.get(signal.name)
        if value is None:
            continue
        total_weight += signal.weight
        total += signal.weight * term(signal, float(value))
    if total_weight == 0:
        return None
    return total / total_weight


def score(signals: Mapping[str, float | None]) -> Score:
    """The ``openssf_criticality`` score with the signals used and those left out in its details."""
    used = {s.name: signals[s.name] for s in SIGNALS if signals.get(s.name) is not None}
    missing = [s.name for s in SIGNALS if s.name not in used]
    value = criticality(signals)
    details = {"signals": used, "missing": missing, "config": "original_pike (defaults)"}
    if value is None:
        return Score(
            "openssf_criticality",
            VERSION,
            None,
            Status.INCONCLUSIVE,
            "No OpenSSF criticality signal is known yet (no registry or git data).",
            details=details,
        )
    return Score(
        "openssf_criticality",
        VERSION,
        round(value, 6),
        Status.OK,
        f"OpenSSF criticality {value:.2f} from {len(used)} of {len(SIGNALS)} signals "
        f"({', '.join(used)}); the others are not collected and are left out of the formula.",
        details=details,
    )
