"""Graphviz (DOT) text for the dependency graphs: pure functions, no reads. Names are quoted and escaped
as DOT string literals, never HTML-like labels, so a package name cannot add markup."""

from __future__ import annotations

from analysis.queries.dashboard.graph import ApplicationGraph
from analysis.queries.sovereignty import purl_name


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dot(graph: ApplicationGraph) -> str:
    """The application on the left, its critical packages shaded by criticality, the paths between them."""
    critical = {p.purl: p.criticality for p in graph.paths}
    lines = [
        "digraph {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontsize=10, height=0.3];',
    ]
    lines.append(f'  {_quoted(graph.application)} [fillcolor="#dbe9f6"];')
    nodes = {child for _, child in graph.edges}
    for purl in sorted(nodes):
        value = critical.get(purl)
        # DOT's own line break (backslash-n) goes after the escaping, so it stays a line break.
        label = _quoted(purl_name(purl))[:-1] + (f"\\n{value:.2f}" if value is not None else "") + '"'
        fill = (
            "#f4b6b6" if value is not None and value >= 0.6 else "#fde2c4" if value is not None else "#ffffff"
        )
        lines.append(f'  {_quoted(purl)} [label={label}, fillcolor="{fill}"];')
    for parent, child in graph.edges:
        lines.append(f"  {_quoted(parent)} -> {_quoted(child)};")
    lines.append("}")
    return "\n".join(lines)
