"""A chapter's walkthrough as a Postman Collection v2.1, built from its recorded exchanges.

One folder per client.py region, one item per request, in the walkthrough's order, with a
`{{baseUrl}}` variable and `pm.test` checks of the status, the notable headers and the JSON
body. Values that flow from a response into a later request (ids, tokens) become collection
variables set by the earlier item's test script; random values the walkthrough made up (a run
of hex digits absent from client.py, as `uuid4().hex` gives) are drawn anew on every run.
Volatile values (identifiers, timestamps, random-looking strings) are checked by type only.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from track.model.course import ROOT, Chapter
from track.model.i18n import _
from track.walkthrough.recording import Exchange, client_file, exchanges, regions
from track.model.ui import command

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
CHECKED_HEADERS = ("Content-Type", "Location", "Allow", "Content-Disposition", "WWW-Authenticate",
                   "Access-Control-Allow-Origin")
LONG = 16  # a value this long is matched anywhere in a later request; a shorter one only whole
HEX_RUN = re.compile(r"[0-9a-fA-F]{8,}")
# A token as servers hand them out (ids, session ids, tokens): 16 characters or more of a hex or
# base64 alphabet. A random one mixes digits and letters, or, when it has no digit (about one
# 20-character Engine.IO sid in 30), changes case often; a dotted name changes case rarely.
TOKEN = re.compile(r"[\w+/=.-]{16,}")
CASE_CHANGE = re.compile(r"(?=[a-z][A-Z]|[A-Z][a-z])")
CASE_CHANGES_OF_RANDOM = 4
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
ID_KEY = re.compile(r"^(id|.*_id)$")
TEXT_CHECK_LIMIT = 200
INPUT_TAG = re.compile(r"<input\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


@dataclass(frozen=True)
class Variable:
    name: str
    value: str
    script: str = ""  # the JavaScript expression that reads it from the response


def path_of(chapter: Chapter) -> Path:
    return ROOT / f"{chapter.package}.postman_collection.json"


# --- what flows from one exchange into the next -------------------------------------------

def leaves(value: object, accessor: str = "", key: str = "") -> list[tuple[str, str, object]]:
    """(JavaScript accessor, key, value) of every string or number in a JSON document."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in leaves(v, f"{accessor}[{json.dumps(k)}]", k)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in leaves(v, f"{accessor}[{i}]", key)]
    return [] if isinstance(value, bool) or value is None else [(accessor, key, value)]


def request_words(exchange: Exchange) -> set[str]:
    """The whole values a request carries: path segments, query and form values, header words, JSON leaves."""
    url = urlsplit(exchange.path)
    words = {unquote(segment) for segment in url.path.split("/")}
    words.update(value for _, value in parse_qsl(url.query))
    words.update(word for value in exchange.headers.values() for word in value.split())
    words.update(value for _, value in exchange.form)
    body = parsed_body(exchange)
    if isinstance(body, list) and body and isinstance(body[0], tuple):
        words.update(value for _, value in body)
    elif body is not None:
        words.update(str(value) for _, _, value in leaves(body))
    return words


def request_text(exchange: Exchange) -> str:
    return " ".join([exchange.path, *exchange.headers.values(), exchange.body or "", *(v for _, v in exchange.form)])


def carries(exchange: Exchange, value: str) -> bool:
    return value in request_text(exchange) if len(value) >= LONG else value in request_words(exchange)


def parsed_body(exchange: Exchange):
    """A JSON body as data, a urlencoded one as pairs, else None."""
    content_type = exchange.headers.get("Content-Type", "")
    if exchange.body is None:
        return None
    if "json" in content_type:
        try:
            return json.loads(exchange.body)
        except (ValueError, RecursionError):  # ch11 sends "[" * 5000 on purpose
            return None
    if "x-www-form-urlencoded" in content_type:
        return parse_qsl(exchange.body, keep_blank_values=True)
    return None


def hidden_inputs(page: str | None) -> list[tuple[str, str]]:
    """(name, value) of each `<input type="hidden">` of an HTML page: what a form posts back (a CSRF token)."""
    found = []
    for tag in INPUT_TAG.findall(page or ""):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and re.fullmatch(r"[\w-]+", attributes.get("name", "")):
            found.append((attributes["name"], html.unescape(attributes.get("value", ""))))
    return found


def response_values(exchange: Exchange) -> list[tuple[str, str, str]]:
    """(name, value, script) of every response value a later request might reuse."""
    found = [(key or "value", str(value), f"pm.response.json(){accessor}")
             for accessor, key, value in leaves(exchange.response_json)]
    found += [(name, value, f'pm.response.text().match(/<input\\b[^>]*name="{name}"[^>]*>/)[0].match(/value="([^"]*)"/)[1]')
              for name, value in hidden_inputs(exchange.response_text)]
    if location := exchange.response_headers.get("Location"):
        found.append(("location_id", urlsplit(location).path.rsplit("/", 1)[-1],
                      'pm.response.headers.get("Location").split("?")[0].split("/").pop()'))
    return found


def fresh_name(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`... when a variable of that name holds another value."""
    return next(candidate for candidate in (name, *(f"{name}{n}" for n in range(2, 100))) if candidate not in taken)


def flows(recorded: list[Exchange]) -> dict[int, list[Variable]]:
    """Per exchange index, the variables its response sets: values later requests send back."""
    taken, by_value, found = {"baseUrl"}, set(), {}
    for index, exchange in enumerate(recorded):
        for name, value, script in response_values(exchange):
            if not value or value in by_value or any(carries(e, value) for e in recorded[:index + 1]):
                continue
            if not any(carries(e, value) for e in recorded[index + 1:]):
                continue
            unique = fresh_name(name, taken)
            taken.add(unique)
            by_value.add(value)
            found.setdefault(index, []).append(Variable(unique, value, script))
    return found


def random_values(recorded: list[Exchange], source: str) -> list[Variable]:
    """Hex runs the walkthrough sent that client.py does not spell out: made up at run time."""
    known, found = source.lower(), {}
    for exchange in recorded:
        for run in HEX_RUN.findall(request_text(exchange)):
            if run.lower() not in known and run.lower() not in found:
                found[run.lower()] = Variable(f"random_{len(found) + 1}", run.lower())
    return list(found.values())


# --- substituting variables into text -------------------------------------------------------

def substituted(text: str, variables: list[Variable]) -> str:
    """`text` with every variable's value written as `{{name}}` (short values only as whole segments)."""
    for variable in variables:
        if variable.name.startswith("random_"):
            text = text.replace(variable.value, f"{{{{{variable.name}}}}}")
            text = text.replace(variable.value.upper(), f"{{{{{variable.name}_upper}}}}")
        elif len(variable.value) >= LONG:
            text = text.replace(variable.value, f"{{{{{variable.name}}}}}")
        else:
            text = re.sub(rf"(?<![^/\s=]){re.escape(variable.value)}(?![^/\s?&.,;:])", f"{{{{{variable.name}}}}}", text)
    return text


def js_string(text: str, variables: list[Variable]) -> str:
    """A JavaScript expression for `text`, reading the variables it contains at run time."""
    replaced = substituted(text, variables)
    return json.dumps(text) if replaced == text else f"pm.variables.replaceIn({json.dumps(replaced)})"


def json_body(body, variables: list[Variable]) -> str:
    """A JSON body as text, with variable values written as `{{name}}` (unquoted for numbers)."""
    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool):
            name = next((v.name for v in variables if v.value == str(value)), None)
            return f"\0{name}\0" if name else value
        return substituted(value, variables) if isinstance(value, str) else value

    text = json.dumps(walk(body), ensure_ascii=False)
    return re.sub(r'"\\u0000(\w+)\\u0000"', r"{{\1}}", text)


# --- the checks ------------------------------------------------------------------------------

def random_looking(text: str) -> bool:
    """Whether `text` holds a token the server made up (see TOKEN): the next run will not repeat it."""
    return any((any(c.isdigit() for c in token) and any(c.isalpha() for c in token))
               or len(CASE_CHANGE.findall(token)) >= CASE_CHANGES_OF_RANDOM for token in TOKEN.findall(text))


def volatile(key: str, value: object, sets: list[Variable]) -> bool:
    """A value the next run will not repeat: one this response hands out, an id, a timestamp, a token."""
    text = str(value)
    if any(v.value == text for v in sets):
        return True
    if isinstance(value, str):
        return bool(TIMESTAMP.match(value)) or random_looking(value)
    return isinstance(value, int) and bool(ID_KEY.match(key))


def value_checks(accessor: str, key: str, value: object, known: list[Variable], sets: list[Variable]) -> list[str]:
    """Chai assertions that the response value at `accessor` matches what the walkthrough saw."""
    target = f"body{accessor}"
    flowing = next((v for v in known if v.value == str(value) and len(v.value) < LONG), None)
    if isinstance(value, dict):
        lines = [f"pm.expect({target}).to.have.all.keys({json.dumps(list(value))});"] if value else \
                [f"pm.expect({target}).to.eql({{}});"]
        return lines + [line for k, v in value.items()
                        for line in value_checks(f"{accessor}[{json.dumps(k)}]", k, v, known, sets)]
    if isinstance(value, list):
        return list_checks(target, value, known, sets)
    if flowing and not any(v is flowing for v in sets) and not isinstance(value, bool):
        number = isinstance(value, (int, float))
        expected = f'pm.collectionVariables.get("{flowing.name}")'
        return [f"pm.expect({target}).to.eql({f'Number({expected})' if number else expected});"]
    if volatile(key, value, sets):
        return [f'pm.expect({target}).to.be.a({json.dumps("string" if isinstance(value, str) else "number")});']
    expected = js_string(value, known) if isinstance(value, str) else json.dumps(value)
    return [f"pm.expect({target}).to.eql({expected});"]


def list_checks(target: str, value: list, known: list[Variable], sets: list[Variable]) -> list[str]:
    """A list of scalars is compared whole; a list of objects holds server state: its shape, and
    the objects that carry a variable's value (the one the walkthrough created)."""
    if value and not any(isinstance(item, (dict, list)) for item in value):
        if not any(volatile("", item, sets) for item in value):
            return [f"pm.expect({target}).to.eql({json.dumps(value, ensure_ascii=False)});"]
    lines = [f"pm.expect({target}).to.be.an(\"array\");"]
    for element in value:
        for key, field_value in (element.items() if isinstance(element, dict) else ()):
            variable = next((v for v in known if v.value == str(field_value) and not isinstance(field_value, bool)), None)
            if variable:
                lines.append(f'pm.expect({target}.some(item => String(item[{json.dumps(key)}]) === '
                             f'pm.collectionVariables.get("{variable.name}"))).to.be.true;')
    return lines


def test_script(exchange: Exchange, known: list[Variable], sets: list[Variable]) -> list[str]:
    """The item's `test` event: set the variables this response hands out, then check it."""
    known = known + sets
    lines = [f'pm.collectionVariables.set("{v.name}", String({v.script}));' for v in sets]
    lines.append(f'pm.test("status is {exchange.status}", () => pm.response.to.have.status({exchange.status}));')
    for name in CHECKED_HEADERS:
        if (value := exchange.response_headers.get(name)) is not None:
            if name == "Location":  # an absolute Location names the server's host: compare its path
                actual, value = 'pm.response.headers.get("Location").replace(/^https?:\\/\\/[^\\/]+/, "")', \
                    value[len(urlsplit(value)._replace(path="", query="", fragment="").geturl()):]
            elif name == "Allow":  # a set of methods, in no fixed order
                lines.append(f'pm.test("Allow: {value}", () => pm.expect(pm.response.headers.get("Allow").split(", "))'
                             f'.to.have.members({json.dumps(value.split(", "))}));')
                continue
            else:
                actual = f"pm.response.headers.get({json.dumps(name)})"
            lines.append(f'pm.test("{name}: {json.dumps(value)[1:-1]}", () => '
                         f"pm.expect({actual}).to.eql({js_string(value, known)}));")
    if exchange.response_json is not None:
        checks = value_checks("", "", exchange.response_json, known, sets)
        lines.append('pm.test("JSON body", () => {')
        lines.append("    const body = pm.response.json();")
        lines.extend(f"    {check}" for check in checks)
        lines.append("});")
    elif text_worth_checking(exchange):
        expected = js_string(exchange.response_text, known)
        lines.append(f'pm.test("body text", () => pm.expect(pm.response.text()).to.eql({expected}));')
    return lines


def text_worth_checking(exchange: Exchange) -> bool:
    text = exchange.response_text
    return text is not None and len(text) <= TEXT_CHECK_LIMIT and not random_looking(text) \
        and not 300 <= exchange.status < 400


# --- the collection --------------------------------------------------------------------------

def body_of(exchange: Exchange, known: list[Variable]) -> dict | None:
    if exchange.files:
        texts = [{"key": k, "value": substituted(v, known), "type": "text"} for k, v in exchange.form]
        files = [{"key": field, "type": "file", "src": path} for field, _, path in exchange.files]
        return {"mode": "formdata", "formdata": texts + files}
    parsed = parsed_body(exchange)
    if isinstance(parsed, list) and exchange.body and "urlencoded" in exchange.headers.get("Content-Type", ""):
        pairs = [{"key": k, "value": substituted(v, known)} for k, v in parsed]
        return {"mode": "urlencoded", "urlencoded": pairs}
    if exchange.body is None:
        return None
    raw = json_body(parsed, known) if parsed is not None else substituted(exchange.body, known)
    language = {"options": {"raw": {"language": "json"}}} if parsed is not None else {}
    return {"mode": "raw", "raw": raw, **language}


def item(exchange: Exchange, known: list[Variable], sets: list[Variable], pre: list[str]) -> dict:
    headers = {k: v for k, v in exchange.headers.items()
               if not (k.lower() == "content-type" and ("urlencoded" in v or exchange.files))}
    request = {
        "method": exchange.method,
        "header": [{"key": k, "value": substituted(v, known)} for k, v in headers.items()],
        "url": "{{baseUrl}}" + substituted(exchange.path, known),
    }
    if body := body_of(exchange, known):
        request["body"] = body
    events = [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": pre}}] if pre else []
    events.append({"listen": "test", "script": {"type": "text/javascript", "exec": test_script(exchange, known, sets)}})
    found = {"name": f"{exchange.method} {exchange.path} → {exchange.status}", "event": events, "request": request}
    if not exchange.follow_redirects:
        found["protocolProfileBehavior"] = {"followRedirects": False}
    return found


def draw(variable: Variable) -> list[str]:
    """A pre-request script that draws a fresh random value of the same length, once per run:
    hex digits, or decimal ones where the walkthrough drew only those (an ISBN, chapter 14)."""
    base = 10 if variable.value.isdigit() else 16
    return [f"const {variable.name} = Array.from({{length: {len(variable.value)}}}, "
            f"() => Math.floor(Math.random() * {base}).toString({base})).join(\"\");",
            f'pm.collectionVariables.set("{variable.name}", {variable.name});',
            f'pm.collectionVariables.set("{variable.name}_upper", {variable.name}.toUpperCase());']


def collection_name(chapter: Chapter) -> str:
    return _("Chapter {n}: {title}").format(n=chapter.number, title=_(chapter.title))


def description(chapter: Chapter, recorded: list[Exchange], source: str) -> str:
    text = _("{name}. Generated from chapters/{package}/client.py by `{postman}`; start the server with `{run}` "
             "and set the variable baseUrl if it is not {base_url}. Uploads name files relative "
             "to the course folder: make it Postman's working directory (Settings > General).").format(
        name=collection_name(chapter), package=chapter.package, postman=command("postman", chapter.number),
        run=command("run", chapter.number), base_url=DEFAULT_BASE_URL)
    covered = {e.section for e in recorded}
    missing = [name for name, _, _ in regions(source) if name not in covered]
    if missing:
        text += _(" Left out: the regions {regions} of client.py send no request a collection "
                  "can hold (WebSocket or Socket.IO events, concurrent clients); `{demo}` runs them.").format(
            regions=", ".join(missing), demo=command("demo", chapter.number))
    return text


def folders(items: list[tuple[str, dict]]) -> list[dict]:
    """Consecutive items of one region in a folder named after it; calls outside regions stay at the top."""
    grouped: list[dict] = []
    for section, entry in items:
        if not section:
            grouped.append(entry)
        elif grouped and grouped[-1].get("name") == section and "item" in grouped[-1]:
            grouped[-1]["item"].append(entry)
        else:
            grouped.append({"name": section, "item": [entry]})
    return grouped


def collection(chapter: Chapter, recorded: list[Exchange]) -> dict:
    """The Postman Collection v2.1 document for a chapter's recorded walkthrough."""
    source = client_file(chapter).read_text(encoding="utf-8")
    setters, randoms = flows(recorded), random_values(recorded, source)
    known, items, drawn = list(randoms), [], set()
    for index, exchange in enumerate(recorded):
        sets = setters.get(index, [])
        pre = [line for v in randoms if v.name not in drawn and v.value in request_text(exchange).lower()
               for line in draw(v)]
        drawn.update(v.name for v in randoms if v.value in request_text(exchange).lower())
        items.append((exchange.section, item(exchange, known, sets, pre)))
        known.extend(sets)
    variables = [{"key": "baseUrl", "value": DEFAULT_BASE_URL}]
    variables += [{"key": v.name, "value": ""} for found in setters.values() for v in found]
    variables += [{"key": f"{v.name}{suffix}", "value": ""} for v in randoms for suffix in ("", "_upper")]
    return {
        "info": {"name": collection_name(chapter), "schema": SCHEMA,
                 "description": description(chapter, recorded, source)},
        "item": folders(items),
        "variable": variables,
    }


def write(chapter: Chapter) -> Path:
    """Record the walkthrough (or reuse the recording) and write the chapter's collection."""
    path = path_of(chapter)
    document = collection(chapter, exchanges(chapter))
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
