"""Find Pandoc citations and the sections that hold them.

The forms are Pandoc's: `[@key]`, `[see @a, pp. 3-4; also @b ch. 1]`, `[-@key]` (the year only),
narrative `@key` and `@key [p. 318]`, and keys in braces `@{key}`.
Code spans, code blocks, HTML comments, link addresses, e-mail addresses and `\\@` are never citations.
Positions are 1-based lines and columns of the Markdown source.
"""

from __future__ import annotations

import functools
import re

import markdown
from markdown.extensions import toc
from dataclasses import dataclass, field

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# Link destinations, autolinks and bare addresses hold '@' that is never a citation.
_ADDRESS_RE = re.compile(r"(?<=\]\()[^)\n]*(?=\))|<[a-z][a-z0-9+.-]*:[^>\s]*>|\b[a-z][a-z0-9+.-]*://[^\s<>)\]]*", re.IGNORECASE)
# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation; @{...} takes anything but braces.
_KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?))"
_GROUP_RE = re.compile(r"\[([^\[\]\n]*@[^\[\]\n]*)\](?![(\[:])")
_ITEM_RE = re.compile(rf"^(?P<prefix>.*?)(?:(?<=\s)|^)(?P<minus>-?)@{_KEY}(?P<suffix>.*)$", re.DOTALL)
# Narrative: @key, not inside a word or an address, with an optional bracketed locator after one space.
_NARRATIVE_RE = re.compile(rf"(?<![\w@.\\/:+-])@{_KEY}(?:[ ]\[(?P<locator>[^\[\]\n@]*)\](?![(\[:]))?")
_LINK_TEXT_RE = re.compile(r"\[[^\[\]\n]*\](?=[(\[])")  # the text of a link is not a citation
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ATTR_LIST_RE = re.compile(r"\s*\{:?([^}]*)\}\s*$")  # a trailing attr_list: { #id .class key=value }


@dataclass(frozen=True)
class Cite:
    key: str
    prefix: str = ""
    locator: str = ""  # everything after the key: ", p. 33" or " and later"
    line: int = 0
    col: int = 0
    suppress_author: bool = False  # [-@key]: the year only


@dataclass
class Group:
    start: int  # offsets into the Markdown text
    end: int
    cites: list[Cite]
    anchor: str = ""  # id of the heading of the section that holds it
    section: str = ""
    narrative: bool = False  # @key in running text: "Yang et al. (2018)"


@dataclass
class Heading:
    level: int
    title: str
    anchor: str
    offset: int


@dataclass
class Document:
    path: str
    text: str  # the Markdown body (front matter removed)
    line_offset: int = 0  # lines of front matter before the body
    groups: list[Group] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match[0])


_CONTAINER_RE = re.compile(r"([-*+]|\d+[.)])\s|!!!|\?\?\?|===|\[\^[^\]]*\]:|:\s")


def mask_code(text: str) -> str:
    """The text with code, comments and indented code blocks blanked, offsets unchanged."""
    out = []
    fence: str | None = None
    in_code = previous_blank = True
    container = False  # the last unindented line opened a list item, admonition, tab or footnote
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" \t")
        marker = _FENCE_RE.match(line)
        code = False
        if fence is not None:
            if stripped.startswith(fence) and not stripped.rstrip().strip(fence[0]):
                fence = None
            code = True
        elif marker:
            fence = marker[1][0] * len(marker[1])
            code = True
        elif line.startswith(("    ", "\t")) and stripped.strip():
            code = (previous_blank or in_code) and not container
        elif stripped.strip() and not line.startswith((" ", "\t")):
            container = bool(_CONTAINER_RE.match(line))
        in_code = code and fence is None and line.startswith(("    ", "\t"))
        previous_blank = not line.strip()
        out.append(re.sub(r"[^\n]", " ", line) if code else line)
    masked = _COMMENT_RE.sub(_blank, "".join(out))
    return _ADDRESS_RE.sub(_blank, _CODE_SPAN_RE.sub(_blank, masked))


def slugify(text: str) -> str:
    """An id or class name from text, as the toc extension makes heading ids (its own slugify)."""
    return toc.slugify(text, "-")


def without_citations(text: str) -> str:
    """The text with its bracketed and narrative citations removed."""
    return _NARRATIVE_RE.sub("", _GROUP_RE.sub(lambda m: "" if _parse_group(m[1], 0, m[1], 0) else m[0], text))


@functools.lru_cache(maxsize=4)
def _heading_converter(**toc_config) -> markdown.Markdown:
    """One converter per toc configuration, reused (reset) for every page: making one costs more than converting."""
    return markdown.Markdown(extensions=["attr_list", toc.TocExtension(**toc_config, permalink=False)])


def heading_ids(raw_titles: list[str], toc_config: dict | None = None) -> list[str]:
    """The id Python-Markdown's toc extension gives each heading of a page, in order, citations left out.

    The headings are converted by Python-Markdown itself, with the toc settings of the site, so an id is
    whatever the generator will give it: underscores, emphasis, code, attr_list ids and repeats included."""
    if not raw_titles:
        return []
    lines = [f"# {without_citations(title).strip() or '-'}" for title in raw_titles]
    md = _heading_converter(**(toc_config or {}))
    md.reset().convert("\n\n".join(lines))
    ids = []

    def walk(tokens):
        for token in tokens:
            ids.append(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)
    return ids


def find_headings(text: str, masked: str | None = None, toc_config: dict | None = None, ids: bool = True) -> list[Heading]:
    """The page's headings in order; with `ids`, each with the id the toc extension gives it (else "")."""
    masked = mask_code(text) if masked is None else masked
    matches = list(_HEADING_RE.finditer(masked))
    raws = [text[m.start(2) : m.end(2)] for m in matches]
    anchors = heading_ids(raws, toc_config) if ids else [""] * len(raws)
    headings = []
    for match, raw, anchor in zip(matches, raws, anchors):
        attrs = _ATTR_LIST_RE.search(raw)
        title = _heading_text(raw[: attrs.start()] if attrs else raw)
        headings.append(Heading(len(match[1]), title, anchor, match.start()))
    return headings


def _heading_text(raw: str) -> str:
    """A heading as plain words, for "Cited on" labels: citations, links, tags and emphasis marks removed."""
    text = without_citations(raw)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)|`", "", text)  # emphasis marks, not the underscores inside words
    return re.sub(r"\s+", " ", text).strip()


def _position(text: str, at: int, line_offset: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1 + line_offset, at - (text.rfind("\n", 0, at) + 1) + 1


def _parse_group(body: str, base: int, text: str, line_offset: int) -> list[Cite] | None:
    """The citations in one bracket, or None when it is not a citation (every item needs a key)."""
    cites, pos = [], 0
    for item in body.split(";"):
        match = _ITEM_RE.match(item)
        if not match:
            return None
        at = base + pos + match.start("minus") + len(match["minus"])
        line, col = _position(text, at, line_offset)
        key = match["braced"] or match["key"]
        cites.append(Cite(key, match["prefix"].strip(), match["suffix"].rstrip(), line, col, bool(match["minus"])))
        pos += len(item) + 1
    return cites


def split_front_matter(source: str) -> tuple[str | None, str, int]:
    """(YAML text or None, Markdown body, number of lines before the body)."""
    if source.startswith("\ufeff"):
        source = source[1:]
    match = re.match(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", source, re.DOTALL)
    if not match:
        return None, source, 0
    return match[1] or "", source[match.end() :], source.count("\n", 0, match.end())


def find_groups(body: str, masked: str | None = None, line_offset: int = 0) -> list[Group]:
    """Every citation of a Markdown body, bracketed or narrative, in order of position."""
    masked = mask_code(body) if masked is None else masked
    groups = []
    for match in _GROUP_RE.finditer(masked):
        cites = _parse_group(match[1], match.start(1), body, line_offset)
        if cites is not None:
            groups.append(Group(match.start(), match.end(), cites))
    taken = [(g.start, g.end) for g in groups] + [m.span() for m in _LINK_TEXT_RE.finditer(masked)]
    for match in _NARRATIVE_RE.finditer(masked):
        if any(start <= match.start() < end for start, end in taken):
            continue
        line, col = _position(body, match.start(), line_offset)
        locator = f", {match['locator'].strip()}" if match["locator"] else ""
        cite = Cite(match["braced"] or match["key"], "", locator, line, col)
        groups.append(Group(match.start(), match.end(), [cite], narrative=True))
    return sorted(groups, key=lambda g: g.start)


def analyse(path: str, body: str, line_offset: int = 0, toc_config: dict | None = None, ids: bool = True) -> Document:
    """Citation groups and headings of a Markdown body (with `ids`, each heading's id and each group's anchor)."""
    masked = mask_code(body)
    doc = Document(path, body, line_offset, headings=find_headings(body, masked, toc_config, ids))
    for group in find_groups(body, masked, line_offset):
        holder = next((h for h in reversed(doc.headings) if h.offset < group.start), None)
        group.anchor = holder.anchor if holder and holder.level > 1 else ""
        group.section = holder.title if holder else ""
        doc.groups.append(group)
    return doc
