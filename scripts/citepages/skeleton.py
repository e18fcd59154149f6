"""One rendering of a page template reused for many pages: rendered once with placeholders, filled in per page.

A site generator's page template costs the same for every page, and a study page differs from the next only in
its own values. `Skeletons.render` renders a stand-in page whose values are placeholders, splits the output at
them, and fills in each page's values. It checks against a full rendering the first pages of each shape, every page
whose title (or any value the caller names) is longer than any before it in that shape (a template may branch on length:
truncate, wrap, abbreviate), and any page the caller asks for (the last one, say); after any difference it renders that
shape in full, so the output never differs from rendering page by page.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable


def leaves(value, path: tuple = ()):
    """(path, value) for every value in nested dicts and lists that is neither; (path, length) for each list."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from leaves(value[key], (*path, key))
    elif isinstance(value, list):
        yield path, len(value)
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    else:
        yield path, value


def with_leaves(value, new: dict, path: tuple = ()):
    """A copy of nested dicts and lists with the values at the paths of `new` replaced."""
    if isinstance(value, dict):
        return {k: with_leaves(v, new, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [with_leaves(v, new, (*path, i)) for i, v in enumerate(value)]
    return new.get(path, value)


def fill(parts: list[str], values: dict) -> str:
    """Text, slot name, text, slot name, …, text → the text with each slot's value."""
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


class Skeletons:
    """The rendering of each shape of page, and how many pages have confirmed it."""

    CHECKS = 2  # pages of a shape rendered in full as well, and compared, before the shape is trusted

    def __init__(self) -> None:
        self._shapes: dict[Hashable, list] = {}  # shape → [parts or None after a difference, pages confirmed, longest values]
        # In no page's text, so a placeholder can only be a placeholder; and changed by any escaping, tag stripping
        # or change of case, so that a template that transforms a value shows it (the check then differs).
        self._token = secrets.token_hex(8)
        self.differed: list[Hashable] = []  # shapes rendered in full after a difference

    def render(self, shape: Hashable, values: dict[Hashable, str], full: Callable[[], str],
               stand_in: Callable[[dict[Hashable, str]], str], check: bool = False, measured: tuple = ("title",)) -> str:
        """The page: `values` are its own non-empty strings by name; `full()` renders it in full;
        `stand_in(placeholders)` renders the same template for a page whose values are the placeholders;
        `check` renders it in full as well and compares, as does a value named in `measured` longer than any before.
        Pages of one `shape` must differ in nothing that the template shows but `values`."""
        known = self._shapes.get(shape)
        longest = known[2] if known else {}
        record = False
        for name in measured:
            if name in values and len(values[name]) > longest.get(name, 0):
                record, longest[name] = True, len(values[name])
        if known and known[0] is not None and known[1] >= self.CHECKS and not record and not check:
            return fill(known[0], values)
        page = full()
        if known is None:
            names = {name: f"citepages{self._token}Slot{i}<&\"'>" for i, name in enumerate(values)}
            rendered = stand_in(names)
            by_text = {text: name for name, text in names.items()}
            parts = re.split("(" + "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True)) + ")", rendered)
            parts[1::2] = [by_text[text] for text in parts[1::2]]
            known = self._shapes[shape] = [parts, 0, longest]
        if known[0] is not None:
            if fill(known[0], values) == page:
                known[1] += 1
            else:
                known[0] = None
                self.differed.append(shape)
        return page
