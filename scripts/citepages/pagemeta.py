"""A page's front matter: read as YAML, with the line and column of each key, and a problem at its line when it is malformed."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from .problems import Problem

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def _positions(yaml_text: str, first_line: int) -> dict[tuple, tuple[int, int]]:
    out: dict[tuple, tuple[int, int]] = {}

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    out[(*path, key.value)] = (first_line + key.start_mark.line, key.start_mark.column + 1)
                    walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                out[(*path, i)] = (first_line + item.start_mark.line, item.start_mark.column + 1)
                walk(item, (*path, i))

    try:
        walk(yaml.compose(yaml_text, Loader=_FAST_LOADER), ())
    except yaml.YAMLError:  # reported by `parse`
        pass
    return out


class Positions(Mapping):
    """(line, column) in the file of every key and list item, by its path: ("searches", 0, "aim") is the
    'aim' of the first search; ("searches", 0, "included", 1) the second key it includes. Read when first looked
    up: front matter without a problem is never located."""

    def __init__(self, yaml_text: str, first_line: int):
        self._source, self._data = (yaml_text, first_line), None

    def _read(self) -> dict[tuple, tuple[int, int]]:
        if self._data is None:
            self._data = _positions(*self._source)
        return self._data

    def __getitem__(self, path: tuple) -> tuple[int, int]:
        return self._read()[path]

    def __iter__(self):
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def positions(yaml_text: str, first_line: int) -> Positions:
    """Where each key and list item of the YAML is (`Positions`)."""
    return Positions(yaml_text, first_line)


def locate(where: Mapping[tuple, tuple[int, int]], path: tuple, default: int) -> int:
    """The line of the deepest part of `path` that has a position."""
    while path and path not in where:
        path = path[:-1]
    return where[path][0] if path else default


def parse(yaml_text: str | None, path: str) -> tuple[dict, list[Problem]]:
    """The front matter as a dict; a YAML error is one problem at its line."""
    if yaml_text is None:
        return {}, []
    try:
        data = yaml.load(yaml_text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        data = None
    try:
        if data is None:  # the pure-Python loader words errors the same everywhere
            data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else None
        reason = getattr(error, "problem", None) or "not valid YAML"
        return {}, [Problem(path, line, col, f"malformed front matter: {reason}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(path, 2, None, "malformed front matter: expected 'field: value' lines")]
    return data, []
