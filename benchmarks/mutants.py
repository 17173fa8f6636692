"""Mutants of a solution file: one small AST change each, only inside `# SOLUTION` blocks.

A mutant is the file's text with one span replaced, so everything else (markers, comments,
the other exercises) stays byte for byte. Operators (the names the report uses):

- `comparison`: == <-> !=, < <-> <=, > <-> >=, in <-> not in, is <-> is not
- `boolean`: and <-> or; `not-removed`: `not x` -> `x`
- `number`: 0 <-> 1, any other n -> n + 1; `true-false`: True <-> False
- `string`: a non-empty string or f-string -> "XX" + it, and -> ""
- `converter`: a URL rule's `<int:x>` -> `<x>`
- `keyword`: one keyword argument of a call dropped
- `return-none`: `return value` -> `return None`
- `statement`: a statement replaced by `pass`; `decorator`: a decorator deleted

A mutant that changes only a human-readable message (the `message` of a JSON error body, an
HTTP error's `description`, a log or print text, an exception's text, a pytest parameter's
`id`) is marked `message_only`: the contract fixes the error name and status, not the wording.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from track.model.stubs import BEGIN, END, STUB

SWAPPED = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
           ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
CONVERTER = re.compile(r"<[A-Za-z_]\w*(?:\([^>]*\))?:([A-Za-z_]\w*)>")
MESSAGE_NAMES = {"message", "description", "msg"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
SHOWN_CHARS = 80


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to the chapter package, e.g. "views/auth.py"
    exercise: str  # the SOLUTION block it is in
    line: int
    operator: str
    original: str  # the replaced code, on one line
    mutated: str  # what replaced it ("" for a deleted decorator)
    source: str  # the whole mutated file
    message_only: bool = False

    @property
    def id(self) -> str:
        """Stable across runs while the line and the code stay: what the allow-list names."""
        return f"{self.file}:{self.line} {self.operator}: {self.original} -> {self.mutated}"


@dataclass(frozen=True)
class Edit:
    """Replace the bytes from (line, col) to (end_line, end_col) (ast positions) with `text`."""

    node: ast.AST
    start: tuple[int, int]
    end: tuple[int, int]
    text: str
    operator: str
    shown: str
    message_only: bool = False


def solution_lines(source: str) -> dict[int, str]:
    """Line number -> exercise id, for each line of solution code (in a block, before its STUB part)."""
    lines, exercise = {}, None
    for number, line in enumerate(source.splitlines(), start=1):
        if match := BEGIN.match(line):
            exercise = match["id"]
        elif STUB.match(line) or END.match(line):
            exercise = None
        elif exercise is not None:
            lines[number] = exercise
    return lines


def signatures(sources: dict[str, str]) -> dict[str, list[str]]:
    """Positional parameter names of every function and class (its __init__) in a chapter."""
    found = {}
    for source in sources.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[node.name] = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
            elif isinstance(node, ast.ClassDef):
                init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
                if init is not None:
                    found[node.name] = [a.arg for a in init.args.args[1:]]
    return found


def dotted(node: ast.AST) -> str:
    """`current_app.logger.info` for that attribute chain; "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def is_test_label(keyword: ast.keyword, call: ast.AST) -> bool:
    """pytest.param(..., id="blank-title"): the name a test is reported under, for humans."""
    return keyword.arg in ("id", "ids") and isinstance(call, ast.Call) and dotted(call.func).endswith(("param", "parametrize"))


def is_message(node: ast.AST, known: dict[str, list[str]]) -> bool:
    """Whether this string is human-readable text only: a message, a log line, an exception's text."""
    while isinstance(node.parent, ast.BinOp):  # "Nothing at " + path, "%s failed" % name
        node = node.parent
    parent = node.parent
    if isinstance(parent, ast.Dict) and node in parent.values:  # {"error": ..., "message": "text"}
        keys = {key.value for key in parent.keys if isinstance(key, ast.Constant)}
        key = parent.keys[parent.values.index(node)]
        return "error" in keys and isinstance(key, ast.Constant) and key.value == "message"
    if isinstance(parent, ast.keyword):
        return parent.arg in MESSAGE_NAMES or is_test_label(parent, parent.parent)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):  # description = "..." on an HTTPException
        targets = getattr(parent, "targets", [getattr(parent, "target", None)])
        return all(dotted(target).rpartition(".")[2] == "description" for target in targets)
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    index, name = parent.args.index(node), dotted(parent.func)
    last = name.rpartition(".")[2]
    if name == "print" or (last in LOG_METHODS and "log" in name.rpartition(".")[0].lower()):
        return True
    if last in known:  # the chapter's own helper: its parameter says what the argument is
        params = known[last]
        return index < len(params) and params[index] in MESSAGE_NAMES
    if last == "abort":
        return index == 1
    return index == 0 and isinstance(parent.parent, ast.Raise)  # raise BadRequest("text")


def link_parents(tree: ast.AST) -> set[int]:
    """Give every node its `parent`; the ids of nodes no mutant should touch."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node
        quiet = [getattr(node, "annotation", None), getattr(node, "returns", None)]
        if isinstance(node, ast.JoinedStr):  # mutated whole: its parts' positions are unreliable
            quiet.extend(node.values)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # a docstring
            quiet.append(node)
        for root in filter(None, quiet):
            skipped.update(id(n) for n in ast.walk(root))
    return skipped


def replaced(node: ast.expr, new: ast.expr, operator: str, message_only: bool = False) -> Edit:
    text = ast.unparse(new)
    return Edit(node, (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset),
                f"({text})", operator, text, message_only)


def expression_edits(node: ast.AST, known: dict[str, list[str]]) -> Iterator[Edit]:
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            ops = [SWAPPED[type(o)]() if i == index else o for i, o in enumerate(node.ops)]
            yield replaced(node, ast.Compare(node.left, ops, node.comparators), "comparison")
    elif isinstance(node, ast.BoolOp):
        yield replaced(node, ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values), "boolean")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield replaced(node, node.operand, "not-removed")
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield replaced(node, ast.Constant(not node.value), "true-false")
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        yield replaced(node, ast.Constant({0: 1, 1: 0}.get(node.value, node.value + 1)), "number")
    elif isinstance(node, (ast.Constant, ast.JoinedStr)):
        yield from string_edits(node, known)
    elif isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg is not None:
                others = [k for k in node.keywords if k is not keyword]
                # Without `description=`, an HTTP error keeps its status and gets the default text.
                message = keyword.arg == "description" or is_test_label(keyword, node)
                yield replaced(node, ast.Call(node.func, node.args, others), "keyword", message)
    elif isinstance(node, ast.Return) and node.value is not None and not is_none(node.value):
        yield replaced(node.value, ast.Constant(None), "return-none")


def is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def string_edits(node: ast.Constant | ast.JoinedStr, known: dict[str, list[str]]) -> Iterator[Edit]:
    if isinstance(node, ast.Constant) and (not isinstance(node.value, str) or not node.value):
        return
    message = is_message(node, known)
    yield replaced(node, ast.BinOp(ast.Constant("XX"), ast.Add(), node), "string", message)
    yield replaced(node, ast.Constant(""), "string", message)
    if isinstance(node, ast.Constant) and CONVERTER.search(node.value):
        yield replaced(node, ast.Constant(CONVERTER.sub(r"<\1>", node.value)), "converter")


def statement_edits(node: ast.stmt) -> Iterator[Edit]:
    if isinstance(node, ast.Pass):
        return
    decorators = getattr(node, "decorator_list", [])
    start = (decorators[0].lineno, decorators[0].col_offset - 1) if decorators else (node.lineno, node.col_offset)
    yield Edit(node, start, (node.end_lineno, node.end_col_offset), "pass", "statement", "pass")
    for decorator in decorators:
        yield Edit(decorator, (decorator.lineno, decorator.col_offset - 1),
                   (decorator.end_lineno, decorator.end_col_offset), "", "decorator", "")


def apply(source: bytes, edit: Edit) -> bytes:
    """The source with the edit's span (ast positions: 1-based lines, byte columns) replaced."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    begin = starts[edit.start[0] - 1] + edit.start[1]
    end = starts[edit.end[0] - 1] + edit.end[1]
    return source[:begin] + edit.text.encode() + source[end:]


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def mutants(source: str, file: str, known: dict[str, list[str]] | None = None) -> list[Mutant]:
    """Every mutant of one solution file that compiles and differs from it; `known`: `signatures`."""
    tree = ast.parse(source)
    skipped = link_parents(tree)
    in_scope = solution_lines(source)
    raw = source.encode()
    original_dump = ast.dump(tree)
    found, sources, ids = [], set(), set()
    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        edits = statement_edits(node) if isinstance(node, ast.stmt) else ()
        for edit in [*edits, *expression_edits(node, known or {})]:
            if not all(line in in_scope for line in range(edit.start[0], edit.end[0] + 1)):
                continue
            text = apply(raw, edit).decode()
            try:
                changed = ast.dump(ast.parse(text)) != original_dump
                compile(text, file, "exec")
            except SyntaxError:
                continue  # e.g. `pass` where a decorator's def needs its body
            if not changed or text in sources:  # the same change reached twice
                continue
            sources.add(text)
            shown = raw.decode()  # the replaced code, as written
            mutant = Mutant(file, in_scope[edit.start[0]], edit.start[0], edit.operator,
                            one_line(ast.get_source_segment(shown, edit.node, padded=False) or ""),
                            one_line(edit.shown), text, edit.message_only)
            while mutant.id in ids:  # two changes that read the same once shortened
                mutant = replace(mutant, mutated=mutant.mutated + " #2")
            ids.add(mutant.id)
            found.append(mutant)
    return sorted(found, key=lambda m: (m.line, m.operator, m.id))
