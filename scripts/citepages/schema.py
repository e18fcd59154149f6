"""YAML that people write (a page's front matter, a site's data files), read safely and checked against a schema.

Reading refuses what YAML allows but no hand-written file needs, each as a problem at its line, never an
exception: anchors and aliases (`&a`, `*a`: a few lines of them expand into gigabytes), nesting deeper than
`MAX_DEPTH`, numbers longer than `MAX_DIGITS`, dates that do not exist (2026-02-30) and repeated keys (YAML
keeps the last one without a word).

A schema is plain Python, so that a field is declared in one place and a new field is one line:
a mapping of field name to a spec, or to `(spec, required)` (a bare spec is required). A spec is `str`
(non-empty text), `int` (a whole number from 1), `bool`, `dt.date`, a list of strings (one of them), a nested
mapping (a schema), `list` (a list of anything), or an instance of one of the classes below.
`check` walks data against a schema and reports each wrong field once, at its line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem, excerpt

MAX_DEPTH = 20
MAX_DIGITS = 20
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
Path = tuple  # a place in the data: ("searches", 0, "aim") is the 'aim' of the first search


class Refused(yaml.constructor.ConstructorError):
    """Valid YAML that a hand-written file has no use for: a number too long, a date that does not exist."""


def _int(loader, node):
    digits = sum(c.isalnum() for c in node.value)  # 0x and 0b numbers too: a long one is too large to show in a message
    if digits > MAX_DIGITS:
        raise Refused(None, None, f"a number {digits} digits long; no field takes one that long", node.start_mark)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2026-02-30 has the shape of a date, and datetime refuses it
        raise Refused(None, None, f"{excerpt(node.value)} is not a date that exists", node.start_mark) from None


def _loader(base: type) -> type:
    loader = type(f"Checked{base.__name__}", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:int", _int)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    return loader


_LOADER = _loader(_FAST_LOADER)
_WORDING_LOADER = _loader(yaml.SafeLoader)  # the pure-Python reader words its errors the same everywhere


@dataclass
class Parsed:
    data: Any = None
    where: dict[Path, tuple[int, int]] = field(default_factory=dict)  # (line, column) in the file of each key and item
    problems: list[Problem] = field(default_factory=list)


def _refusals(text: str) -> tuple[int, int, str] | None:
    """(line, column, why) of the first anchor, alias or too-deep nesting, from the parser's events (linear in the text)."""
    depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return mark.line, mark.column, "YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return mark.line, mark.column, f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _error_problem(error: yaml.YAMLError, text: str, path: str, first_line: int, what: str, scope: str) -> Problem:
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        line, col = mark.line, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):  # a character YAML cannot hold: its place is an offset
        line, col = text.count("\n", 0, error.position), error.position - text.rfind("\n", 0, error.position)
    else:
        line, col = 0, None
    reason = getattr(error, "problem", None) or getattr(error, "reason", None) or "not valid YAML"
    if isinstance(error, yaml.reader.ReaderError):
        reason = f"{reason} ({excerpt(chr(error.character))})"
    return Problem(path, first_line + line, col, f"{scope}{reason}" if isinstance(error, Refused) else f"{what}: {reason}")


def load(text: str, path: str, first_line: int = 1, what: str = "not valid YAML", scope: str = "") -> Parsed:
    """The data of a YAML text that starts on `first_line` of `path`, with the place of every key and item;
    or no data and one problem: a YAML error prefixed with `what`, a refusal (an alias, a date that does not
    exist) with `scope`. A repeated key is a problem too, but the data is kept."""
    try:
        refused = _refusals(text)
        if refused is not None:
            line, col, why = refused
            return Parsed(problems=[Problem(path, first_line + line, col + 1, f"{scope}{why}")])
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        try:
            yaml.load(text, Loader=_WORDING_LOADER)
        except yaml.YAMLError as worded:
            error = worded
        return Parsed(problems=[_error_problem(error, text, path, first_line, what, scope)])
    parsed = Parsed(data)
    if node is not None:
        _walk(node, (), parsed, path, first_line, scope)
    return parsed


def _walk(node, at: Path, parsed: Parsed, path: str, first_line: int, scope: str) -> None:
    where = lambda n: (first_line + n.start_mark.line, n.start_mark.column + 1)  # noqa: E731
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                line, col = where(key)
                parsed.problems.append(Problem(path, line, col, f"{scope}duplicate field {excerpt(key.value)} (also on line {seen[key.value]})"))
            seen.setdefault(key.value, where(key)[0])
            parsed.where[(*at, key.value)] = where(key)
            _walk(value, (*at, key.value), parsed, path, first_line, scope)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            parsed.where[(*at, i)] = where(item)
            _walk(item, (*at, i), parsed, path, first_line, scope)


def locate(where: dict[Path, tuple[int, int]], at: Path, default: int) -> int:
    """The line of the deepest part of `at` that has a place."""
    while at and at not in where:
        at = at[:-1]
    return where[at][0] if at else default


# Specs. Each has `error(value)`: None when the value fits, else what it must be.


@dataclass(frozen=True)
class Text:
    what: str = "non-empty text"
    max_chars: int | None = None

    def error(self, value) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return f"must be {self.what}"
        if self.max_chars is not None and len(value) > self.max_chars:
            return f"is {len(value)} characters; at most {self.max_chars}"
        return None


@dataclass(frozen=True)
class Whole:
    low: int = 1
    high: int | None = None

    def error(self, value) -> str | None:
        fits = isinstance(value, int) and not isinstance(value, bool) and value >= self.low and (self.high is None or value <= self.high)
        if fits:
            return None
        if self.high is not None:
            return f"must be a whole number from {self.low} to {self.high}"
        return "must be a positive whole number" if self.low == 1 else f"must be a whole number from {self.low}"


@dataclass(frozen=True)
class Number:
    def error(self, value) -> str | None:
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value else "must be a number"


@dataclass(frozen=True)
class Flag:
    def error(self, value) -> str | None:
        return None if isinstance(value, bool) else "must be true or false"


@dataclass(frozen=True)
class Date:
    def error(self, value) -> str | None:
        return None if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else "must be a date (YYYY-MM-DD)"


@dataclass(frozen=True)
class OneOf:
    choices: tuple[str, ...]

    def error(self, value) -> str | None:
        return None if isinstance(value, str) and value in self.choices else f"must be one of: {', '.join(self.choices)}"


@dataclass(frozen=True)
class ListOf:
    item: Any = None  # a spec, or None for anything

    def error(self, value) -> str | None:
        return None if isinstance(value, list) else "must be a list"


@dataclass(frozen=True)
class Fields:
    schema: dict

    def error(self, value) -> str | None:
        named = [key for key, declared in self.schema.items() if required(declared)] or list(self.schema)
        return None if isinstance(value, dict) else f"must be a mapping of: {', '.join(named)}"


def spec(declared):
    """The spec a schema's shorthand stands for."""
    if isinstance(declared, tuple):
        declared = declared[0]
    shorthand = {str: Text(), int: Whole(), bool: Flag(), dt.date: Date(), list: ListOf()}
    if isinstance(declared, type) and declared in shorthand:
        return shorthand[declared]
    if isinstance(declared, list):
        return OneOf(tuple(declared))
    if isinstance(declared, dict):
        return Fields(declared)
    return declared


def required(declared) -> bool:
    return declared[1] if isinstance(declared, tuple) else True


@dataclass(frozen=True)
class Issue:
    at: Path  # the place at fault: the field or item, or for a missing field its mapping
    about: Path  # what the message speaks of: the field or item itself, or the mapping it is missing from or unknown in
    message: str  # "must be one of: … (found 'x')", "unknown field 'notes'", "missing field 'excluded'"

    def text(self, data, items: dict[str, str] | None = None) -> str:
        """The message, named by `describe`: "search 1 ('x'): 'aim' must be one of: …"."""
        name = describe(self.about, data, items)
        if not name:
            return self.message
        return f"{name} {self.message}" if self.about == self.at and self.message.startswith("must") else f"{name}: {self.message}"


def check(data, declared, at: Path = ()) -> list[Issue]:
    """Every way `data` misses its spec, one issue per field: a list that is not a list is one issue, not one per item."""
    rule = spec(declared)
    if (error := rule.error(data)) is not None:
        shown = "" if isinstance(rule, Fields) or error.startswith("is ") else f" (found {excerpt(data)})"
        return [Issue(at, at, f"{error}{shown}")]
    issues = []
    if isinstance(rule, ListOf) and rule.item is not None:
        for i, item in enumerate(data):
            issues += check(item, rule.item, (*at, i))
    elif isinstance(rule, Fields):
        for key in data:
            if key not in rule.schema:
                issues.append(Issue((*at, str(key)), at, f"unknown field '{excerpt(str(key), quoted=False)}'"))
        missing = [key for key, declared in rule.schema.items() if required(declared) and key not in data]
        if missing:
            issues.append(Issue(at, at, f"missing field{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}"))
        for key, declared in rule.schema.items():
            if key in data:
                issues += check(data[key], declared, (*at, key))
    return issues


def describe(at: Path, data, items: dict[str, str] | None = None) -> str:
    """A place in the data as a reader names it: ("searches", 0, "aim") is "search 1 ('habenula-people'): 'aim'"
    when `items` names the items of 'searches' "search" (an item with a text `id` is also named by it), and
    ("verdict_history", 0) is "'verdict_history' item 1"."""
    parts: list[str] = []
    node, holder = data, None
    for step in at:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            ident = f" ('{excerpt(node['id'], quoted=False)}')" if isinstance(node, dict) and isinstance(node.get("id"), str) else ""
            named = (items or {}).get(holder) if len(parts) == 1 else None  # names are for the lists at the top
            item = f"{named} {step + 1}{ident}" if named else f"item {step + 1}{ident}"
            parts[-1:] = [item] if named or not parts else [f"{parts[-1]} {item}"]
        else:
            parts.append(f"'{excerpt(step, quoted=False)}'")
            node = node.get(step) if isinstance(node, dict) else None
        holder = step
    return ": ".join(parts)


FRONT_MATTER_LINE = 2  # a page's front matter starts on its second line, after its '---'


def front_matter(yaml_text: str | None, path: str) -> tuple[dict, list[Problem], dict[Path, tuple[int, int]]]:
    """A page's front matter as a dict, its problems as YAML (one, at its line; or each repeated field), and the place
    in the file of every field and item, by its path: ("searches", 0, "aim") is the 'aim' of the first search."""
    if yaml_text is None:
        return {}, [], {}
    parsed = load(yaml_text, path, FRONT_MATTER_LINE, "malformed front matter", "front matter: ")
    if parsed.data is None:
        return {}, parsed.problems, parsed.where
    if not isinstance(parsed.data, dict):
        return {}, [Problem(path, FRONT_MATTER_LINE, None, "malformed front matter: expected 'field: value' lines")], parsed.where
    return parsed.data, [*parsed.problems], parsed.where
