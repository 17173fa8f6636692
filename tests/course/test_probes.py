"""Probe replays (tests/fuzz.py): the recorded examples are what Hypothesis draws, and a replay
gives the same verdict, and the same message, as Hypothesis alone."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pytest

from tests import fuzz
from track.grading import engine
from track.model.course import chapters

STRATEGY = fuzz.json_bodies({"name": fuzz.TEXT})


@dataclass
class Sent:
    method: str = "POST"
    path: str = "/probe"
    query_string: bytes = b""


@dataclass
class Answer:
    """As much of a response as a probe reads when the status is all it checks."""

    status_code: int
    request: Sent = field(default_factory=Sent)


def answering(status_of):
    sent = []

    def send(value):
        sent.append(value)
        return Answer(status_of(value))
    return send, sent


def crashes_on_long_text(value) -> int:
    return 500 if isinstance(value, str) and len(value) > 60 else 200


def recorded(monkeypatch, tmp_path, status_of) -> list:
    """What one probe of STRATEGY draws with Hypothesis alone, answered by `status_of`."""
    lines = tmp_path / "drawn.jsonl"
    lines.unlink(missing_ok=True)
    monkeypatch.setattr(fuzz, "MODE", f"record:{lines}")
    monkeypatch.setattr(fuzz, "stored", dict)
    fuzz.probe(answering(status_of)[0], STRATEGY)
    return json.loads(lines.read_text(encoding="utf-8"))["values"]


def test_what_hypothesis_draws_does_not_depend_on_the_answers(monkeypatch, tmp_path):
    drawn = [recorded(monkeypatch, tmp_path, lambda value, status=status: status) for status in (200, 400, 404)]
    assert len(drawn[0]) == fuzz.EXAMPLES and drawn[0] == drawn[1] == drawn[2]


def test_a_replay_sends_the_recorded_examples_and_nothing_else(monkeypatch, tmp_path):
    values = recorded(monkeypatch, tmp_path, lambda value: 200)
    monkeypatch.setattr(fuzz, "stored", lambda: {fuzz.replay_key(STRATEGY, fuzz.EXAMPLES): values})
    send, sent = answering(lambda value: 200)
    fuzz.probe(send, STRATEGY)
    assert [fuzz.encoded(value) for value in sent] == values


def test_a_failure_found_by_a_replay_reads_as_hypothesis_says_it(monkeypatch, tmp_path):
    values = recorded(monkeypatch, tmp_path, lambda value: 200)
    assert any(crashes_on_long_text(fuzz.decoded(value)) == 500 for value in values), "pick a failure the examples meet"
    said = {}
    for mode, store in (("hypothesis", {}), ("replay", {fuzz.replay_key(STRATEGY, fuzz.EXAMPLES): values})):
        monkeypatch.setattr(fuzz, "stored", lambda store=store: store)
        with pytest.raises(AssertionError) as failure:
            fuzz.probe(answering(crashes_on_long_text)[0], STRATEGY)
        said[mode] = str(failure.value)
    assert said["replay"] == said["hypothesis"] and "answered 500" in said["replay"]


def test_every_drawn_kind_of_value_comes_back_the_same():
    values = [fuzz.Digits("9" * 50), b"\x00\xff", ("GET", "/x"), ["a", ("b",)], {"a": [1, 2.5, math.inf, None, True]},
              "\ud800", -0.0, 2**70, {1: "not a string key"}]
    back = [fuzz.decoded(json.loads(json.dumps(fuzz.encoded(value)))) for value in values]
    assert [(type(v), repr(v)) for v in back] == [(type(v), repr(v)) for v in values]
    assert math.copysign(1, back[6]) == -1 and type(back[3][1]) is tuple


def test_the_store_is_what_the_reference_draws(monkeypatch, tmp_path):
    lines = tmp_path / "drawn.jsonl"
    monkeypatch.setenv("TRACK_PROBES", f"record:{lines}")
    run = engine.grade(chapters(), target="solutions", fork=False)
    assert run.status == "pass", run.message or run.first_unsolved()
    fuzz.pack(lines, tmp_path / "store.json.gz")
    assert (tmp_path / "store.json.gz").read_bytes() == fuzz.STORE.read_bytes(), (
        "tests/probe_examples.json.gz is out of step with the graders: run `python -m track probes` and commit it")
