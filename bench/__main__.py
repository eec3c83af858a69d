"""``python -m bench [NAME...] [--quick]``: run the benchmark modules and print their figures.

Each ``bench/bench_<name>.py`` exposes ``run(quick: bool) -> list[Figure]``; figures with a baseline (the
goal) show the ratio value/baseline (below 1 is within the goal for times and memory). Each module runs in a
process of its own, so one module's memory peak or failure does not leak into another's figures; a module
that fails is reported and the others still run (exit code 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
import time
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


def _run_here(name: str, quick: bool, out: Path) -> None:
    """The child's side: run one module and write its figures as JSON."""
    module = importlib.import_module(f"bench.bench_{name}")
    figures = module.run(quick)
    out.write_text(json.dumps([dataclasses.asdict(f) for f in figures]))


def _run_isolated(name: str, quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        out = Path(tmp) / "figures.json"
        argv = [sys.executable, "-m", "bench", "--in-process", "--figures-to", str(out), name]
        # The module's own output goes to stderr, beside the progress lines: stdout is the table.
        subprocess.run(argv + (["--quick"] if quick else []), check=True, stdout=sys.stderr)
        return [Figure(**f) for f in json.loads(out.read_text())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(discover())})"
    )
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer repetitions")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--figures-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = args.names or discover()
    unknown = sorted(set(names) - set(discover()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    if args.in_process:
        [name] = names
        _run_here(name, args.quick, args.figures_to)
        return 0
    rows: list[tuple[str, Figure]] = []
    failed: list[str] = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            rows.extend((name, figure) for figure in _run_isolated(name, args.quick))
        except subprocess.CalledProcessError as exc:
            failed.append(name)
            print(f"benchmark {name} failed (exit code {exc.returncode})", file=sys.stderr, flush=True)
        print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print_table(rows)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
