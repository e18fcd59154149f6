"""Find Pandoc citations (`[@key]`, `[see @a, p. 3; @b]`) and the sections that hold them.

Code spans, code blocks, HTML comments and e-mail addresses are never citations.
Positions are 1-based lines and columns of the Markdown source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_GROUP_RE = re.compile(r"\[([^\[\]\n]*@[^\[\]\n]*)\](?![(\[:])")
_ITEM_RE = re.compile(r"^(?P<prefix>.*?)(?:(?<=\s)|^)-?@(?P<key>[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?)(?P<suffix>.*)$", re.DOTALL)
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ATTR_LIST_RE = re.compile(r"\s*\{:?([^}]*)\}\s*$")  # a trailing attr_list: { #id .class key=value }


@dataclass(frozen=True)
class Cite:
    key: str
    prefix: str = ""
    locator: str = ""  # everything after the key: ", p. 33" or " and later"
    line: int = 0
    col: int = 0


@dataclass
class Group:
    start: int  # offsets into the Markdown text
    end: int
    cites: list[Cite]
    anchor: str = ""  # id of the heading of the section that holds it
    section: str = ""


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
    return _CODE_SPAN_RE.sub(_blank, masked)


def slugify(text: str) -> str:
    """The heading id Python-Markdown's toc extension gives (its default slugify)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _heading_text(raw: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # links keep their text
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[*_`]", "", text).strip()


def find_headings(text: str, masked: str | None = None) -> list[Heading]:
    masked = mask_code(text) if masked is None else masked
    headings, used = [], set()
    for match in _HEADING_RE.finditer(masked):
        raw = text[match.start(2) : match.end(2)]
        attrs = _ATTR_LIST_RE.search(raw)
        title = _heading_text(raw[: attrs.start()] if attrs else raw)
        custom = re.search(r"#([\w-]+)", attrs[1]) if attrs else None
        anchor = custom[1] if custom else slugify(title)
        base, n = anchor, 0
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        headings.append(Heading(len(match[1]), title, anchor, match.start()))
    return headings


def _parse_group(body: str, base: int, text: str, line_offset: int) -> list[Cite] | None:
    """The citations in one bracket, or None when it is not a citation (every item needs a key)."""
    cites, pos = [], 0
    for item in body.split(";"):
        match = _ITEM_RE.match(item)
        if not match:
            return None
        at = base + pos + match.start("key") - 1
        line = text.count("\n", 0, at) + 1 + line_offset
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        cites.append(Cite(match["key"], match["prefix"].strip(), match["suffix"].rstrip(), line, col))
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


def analyse(path: str, body: str, line_offset: int = 0) -> Document:
    """Citation groups and headings of a Markdown body."""
    masked = mask_code(body)
    doc = Document(path, body, line_offset, headings=find_headings(body, masked))
    for match in _GROUP_RE.finditer(masked):
        cites = _parse_group(match[1], match.start(1), body, line_offset)
        if cites is None:
            continue
        holder = next((h for h in reversed(doc.headings) if h.offset < match.start()), None)
        anchor = holder.anchor if holder and holder.level > 1 else ""
        section = holder.title if holder else ""
        doc.groups.append(Group(match.start(), match.end(), cites, anchor, section))
    return doc
