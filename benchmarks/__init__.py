"""The course's performance figures: `make bench` (or `python -m benchmarks [--quick]`).

Everything is measured in one run on this machine, on loopback, with every process the
benchmarks start stopped again. The table goes to stdout and the figures to
`.track/bench/` (git-ignored). `--quick` is a smoke run: fewer repetitions, and a small
Python load loop instead of wrk, so it works with only Python installed.
"""
