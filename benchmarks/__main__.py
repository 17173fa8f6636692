"""`python -m benchmarks [--quick]`: measure, print the table, save the figures as JSON."""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time

from benchmarks.classroom import class_grading
from benchmarks.measures import MEASURES
from track.model.course import STATE

OUT = STATE / "bench"


def format_value(value: float, unit: str) -> str:
    if unit in ("req", "errors"):
        return f"{value:,.0f} {unit}"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:.2f} {unit}"


def print_table(rows: list[dict]) -> None:
    header = ("group", "figure", "measured", "ratio", "note")
    cells = [(r["group"], r["figure"], format_value(r["value"], r["unit"]),
              f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-", r["note"]) for r in rows]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *cells)]
    for line in (header, tuple("-" * w for w in widths), *cells):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repetitions, no wrk needed")
    args = parser.parse_args(argv)
    if not args.quick and shutil.which("wrk") is None:
        print("make bench needs wrk, an HTTP load generator, to measure throughput from a separate process.\n"
              "Install it (Debian/Ubuntu: `sudo apt-get install wrk`; macOS: `brew install wrk`) and run again,\n"
              "or run `make bench QUICK=1` for a smoke run with a small Python load loop instead.", file=sys.stderr)
        return 2
    rows = []
    for measure in (*MEASURES, class_grading):
        print(f"measuring {measure.__name__.replace('_', ' ')} ...", file=sys.stderr, flush=True)
        rows.extend(measure(args.quick))
    mode = "quick smoke run: small Python load loop instead of wrk, fewer repetitions" if args.quick else "full run"
    print(f"\nFlask Learning Track benchmarks ({mode}; {platform.python_version()}, {platform.machine()})\n")
    print_table(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    figures = {"when": stamp, "quick": args.quick, "python": platform.python_version(), "rows": rows}
    path = OUT / f"bench-{'quick-' if args.quick else ''}{stamp}.json"
    path.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    (OUT / ("latest-quick.json" if args.quick else "latest.json")).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(f"\nFigures saved to {path.relative_to(STATE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
