"""The glossary: one file of Markdown abbreviations that both defines terms site-wide and renders the glossary page."""

from __future__ import annotations

import re

from citepages.render import attr, esc

_LINE_RE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>.+)$", re.MULTILINE)


def parse_glossary(text: str) -> list[tuple[str, str]]:
    return [(m["term"], m["definition"].strip()) for m in _LINE_RE.finditer(text)]


def render_glossary(terms: list[tuple[str, str]]) -> str:
    """A definition list (def_list extension), sorted without regard to case."""
    items = sorted(terms, key=lambda item: item[0].lower())
    return "\n\n".join(f"{esc(term)}\n:   {esc(definition)}" for term, definition in items) + "\n"
