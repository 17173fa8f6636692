"""The probes' replays: the examples Hypothesis drew on the reference, kept for the graders to send again.

`python -m track probes` records them (`pack`); tests/fuzz.py's probes replay them (`stored`),
`TRACK_PROBES=hypothesis` turns replays off, `TRACK_PROBES=record:FILE` collects a recording.
The store is engine data, read by the graders' helpers: nothing here imports Hypothesis.
"""
from __future__ import annotations

import base64
import gzip
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from track.model.bootstrap import ROOT

STORE = ROOT / "tests" / "probe_examples.json.gz"
MODE = os.environ.get("TRACK_PROBES", "replay")


class Digits(str):
    """A number literal too long for int(): written into JSON text as it is, never converted."""


@cache
def stored() -> dict[str, list]:
    """The recorded examples, read once per process (before any graded code runs, in class grading)."""
    if MODE != "replay" or not STORE.is_file():
        return {}
    with gzip.open(STORE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def encoded(value: Any) -> Any:
    """`value` as JSON that gives back the same Python value: scalars as they are, the rest tagged."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is Digits:
        return {"digits": str(value)}
    if type(value) is bytes:
        return {"bytes": base64.b64encode(value).decode("ascii")}
    if type(value) in (list, tuple):
        return {type(value).__name__: [encoded(item) for item in value]}
    if type(value) is dict:
        return {"dict": [[encoded(k), encoded(v)] for k, v in value.items()]}
    raise TypeError(f"cannot record {type(value).__name__}")


def decoded(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    (tag, inner), = data.items()
    if tag == "digits":
        return Digits(inner)
    if tag == "bytes":
        return base64.b64decode(inner)
    if tag == "dict":
        return {decoded(k): decoded(v) for k, v in inner}
    items = [decoded(item) for item in inner]
    return tuple(items) if tag == "tuple" else items


def pack(lines: Path, store: Path = STORE) -> int:
    """Write the store from a record run's lines, byte for byte the same for the same examples."""
    found: dict[str, list] = {}
    for line in lines.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        found.setdefault(entry["key"], entry["values"])
    store.write_bytes(gzip.compress(json.dumps(found, sort_keys=True).encode("utf-8"), mtime=0))
    return len(found)
