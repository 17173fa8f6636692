"""The teacher's side of a class grading run: what a chapter's run must show to be believed.

Student code runs in the same process as the chapter's graders, so anything that process
writes could be forged. The teacher's process therefore believes a chapter's results only
when they list exactly the grader tests it collected itself, plus the canary (track/grading/plugin.py)
failing with the secret this process gave that run alone; and when the run reported no
tripwire (track/grading/tripwires.py) and its log shows no refusal by the sandbox. Otherwise the
chapter earns nothing, the row says why, and the verdict is never stored for reuse.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field, replace

from track.model.i18n import N_, _
from track.model.results import ChapterResult, RunResult, Status

# What the sandbox's refusals look like in a run's output: (pattern, what the flag says).
REFUSALS = (
    (re.compile(r"No module named 'solutions"), N_("reached for the reference solutions (not in the sandbox)")),
    (re.compile(r"Read-only file system"), N_("tried to write outside its scratch folder (refused by the sandbox)")),
    (re.compile(r"Network is unreachable|Temporary failure in name resolution"), N_("tried to reach the network (refused by the sandbox)")),
    (re.compile(r"fork: retry|Cannot fork|can't start new thread|Resource temporarily unavailable"),
     N_("started more processes than the sandbox allows (a fork bomb?)")),
    (re.compile(r"MemoryError"), N_("used more memory than the sandbox allows")),
)


@dataclass(frozen=True)
class Canary:
    after: str  # the node id of the grader test it follows
    name: str
    message: str  # its failure, shaped like a grader's; the secret the run must report

    @property
    def nodeid(self) -> str:
        return f"{self.after.rpartition('::')[0]}::{self.name}"

    def spec(self) -> str:
        return json.dumps({"after": self.after, "name": self.name, "message": self.message})


def test_name(nodeid: str) -> str:
    return nodeid.rpartition("::")[2].partition("[")[0]


def canary_for(ids: list[str], rng: random.Random) -> Canary:
    """A canary after a random grader test, named from the halves of two real test names; it
    fails the way a grader's status check does, at a path with a random id."""
    after = rng.choice(ids)
    taken = {test_name(i) for i in ids}
    first = test_name(after).removeprefix("test_").split("_")
    second = test_name(rng.choice(ids)).removeprefix("test_").split("_")
    words = first[:max(1, len(first) // 2)] + second[len(second) // 2:]
    name = "test_" + "_".join(words)
    while name in taken:
        name += "_" + rng.choice(second + first)
    noun = rng.choice([w for w in first + second if len(w) > 2] or ["items"])
    message = (f"{rng.choice(('GET', 'POST', 'PUT', 'DELETE'))} /{noun}/{rng.randrange(10**6, 10**7)} answered "
               f"{rng.choice((400, 404, 405, 409, 415, 422, 500))}, expected {rng.choice((200, 201, 204, 302))}")
    return Canary(after, name, message)


@dataclass
class Verdict:
    """A chapter's believed result (None: no result to believe), and what the teacher should know."""

    result: ChapterResult | None
    flags: list[str] = field(default_factory=list)
    reason: str | None = None  # why there is no result

    @property
    def trusted(self) -> bool:
        return self.result is not None and not self.flags


def evidence_flags(evidence: str) -> list[str]:
    flags = []
    for line in evidence.splitlines():
        try:
            entry = json.loads(line)
            flags.append(f"{entry['where']} {entry['what']}".strip())
        except (ValueError, KeyError, TypeError):
            flags.append(_("wrote to its evidence channel: {text}").format(text=line[:80]))
    return flags


def refusal_flags(text: str) -> list[str]:
    return [_(what) for pattern, what in REFUSALS if pattern.search(text)]


def same_id(nodeid: str) -> str:
    """A node id as both collections name it: a second collection in one process (a worker forked
    after the zygote's) escapes a non-ASCII parameter id once more (`\\u5c0f` for `\u5c0f`)."""
    return re.sub(r"\\+", r"\\", nodeid)


def tampering(result: ChapterResult, expected: list[str], canary: Canary) -> str | None:
    """Why the report cannot be believed, or None."""
    reported = [same_id(t.nodeid) for t in result.tests]
    missing = sorted({same_id(i) for i in expected} - set(reported))
    extra = sorted(set(reported) - {same_id(i) for i in expected} - {canary.nodeid})
    if missing or extra or len(reported) != len(set(reported)):
        return _("its report does not list the tests that ran ({missing} missing, {extra} unknown)").format(
            missing=len(missing), extra=len(extra))
    found = next((t for t in result.tests if t.nodeid == canary.nodeid), None)
    # A chapter that does not load errors in every test, the canary's too, and earns nothing.
    unloaded = result.error is not None and all(e.status != Status.PASS for e in result.exercises)
    if found is None or not (found.status == Status.FAIL and (found.message or "").startswith(canary.message)
                             or unloaded and found.status == Status.ERROR):
        return _("its report was tampered with: a test that must fail was reported as {status}").format(
            status=found.status if found is not None else _("missing"))
    tests = [t for t in result.tests if t.nodeid != canary.nodeid]
    for exercise in result.exercises:
        if exercise.status == Status.PASS and any(t.status != Status.PASS for t in tests if t.exercise == exercise.id):
            return _("its report was tampered with: `{id}` passed with a failing test").format(id=exercise.id)
    return None


def zeroed(result: ChapterResult, flags: list[str]) -> ChapterResult:
    message = _("integrity: ") + "; ".join(flags)
    return replace(result, exercises=[replace(e, status=Status.FAIL, message=message) for e in result.exercises])


def judge(results: RunResult | None, package: str, expected: list[str], canary: Canary,
          evidence: str, log: str) -> Verdict:
    """The verdict of one chapter's run, from what it left and what only this process knows."""
    result = results.chapter(package) if results is not None else None
    messages = "\n".join(t.message or "" for t in result.tests) if result is not None else ""
    # A chapter the sandbox stopped from loading: its refusal names where, as the scan's flags do.
    where = result.error.where.rpartition("chapters/")[2] if result is not None and result.error and result.error.where else ""
    flags = evidence_flags(evidence) + [f"{where} {flag}".lstrip() for flag in refusal_flags(log + "\n" + messages)]
    if result is None:
        return Verdict(None, flags, (results.message if results is not None else None) or _("its run left no results"))
    if why := tampering(result, expected, canary):
        flags.append(why)
    result = replace(result, tests=[t for t in result.tests if t.nodeid != canary.nodeid])
    return Verdict(zeroed(result, flags) if flags else result, flags)
