"""The glossary: one file of Markdown abbreviations that both defines terms site-wide and renders the glossary page."""

from __future__ import annotations

import re

from citepages.render import attr, esc

GLOSSARY_MARKER = "<!-- citepages:glossary -->"
_LINE_RE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>.+)$", re.MULTILINE)


def parse_glossary(text: str) -> list[tuple[str, str]]:
    return [(m["term"], m["definition"].strip()) for m in _LINE_RE.finditer(text)]


def render_glossary(terms: list[tuple[str, str]]) -> str:
    """A definition list (def_list extension), sorted without regard to case."""
    items = sorted(terms, key=lambda item: item[0].lower())
    return "\n\n".join(f"{esc(term)}\n:   {esc(definition)}" for term, definition in items) + "\n"


def abbreviator(terms: list[tuple[str, str]]):
    """Plain text → HTML, escaped as `esc` does, with each glossary term marked up as the abbr extension marks
    it on Markdown pages (longest term first, whole words only)."""
    if not terms:
        return esc
    definitions = dict(terms)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(definitions, key=len, reverse=True)) + r")\b")

    def abbreviate(text: str) -> str:
        out, pos = [], 0
        for match in pattern.finditer(text):
            out += [esc(text[pos : match.start()]), f'<abbr title="{attr(definitions[match[0]])}">{esc(match[0])}</abbr>']
            pos = match.end()
        out.append(esc(text[pos:]))
        return "".join(out)

    return abbreviate
