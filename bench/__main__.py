"""``python -m bench [NAME...] [--quick]``: run the benchmark modules and print their figures.

Each ``bench/bench_<name>.py`` exposes ``run(quick: bool) -> list[Figure]``; figures with a baseline show
the ratio value/baseline (below 1 is better than the goal for times and memory).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench.common import Figure

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )


def _format(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def print_table(rows: list[tuple[str, Figure]]) -> None:
    header = ("benchmark", "figure", "value", "unit", "baseline", "ratio")
    table = [header] + [
        (
            module,
            f.name,
            _format(f.value),
            f.unit,
            _format(f.baseline),
            "-" if f.ratio is None else f"{f.ratio:.2f}",
        )
        for module, f in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print(
            "  ".join(
                cell.ljust(w) if i < 2 or i == 3 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(discover())})"
    )
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer repetitions")
    args = parser.parse_args(argv)
    names = args.names or discover()
    unknown = sorted(set(names) - set(discover()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    rows: list[tuple[str, Figure]] = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend((name, figure) for figure in module.run(args.quick))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
