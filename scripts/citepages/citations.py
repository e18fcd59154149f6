"""Find Pandoc citations and the sections that hold them.

The syntax is Pandoc's, read as Pandoc reads it: `[@key]`, `[see @a, pp. 3-4; also @b ch. 1]`, `[-@key]`
(the year only), narrative `@key`, `@key [p. 318]` and `@key [p. 33; @other]`, `-@key` outside brackets,
and keys in braces `@{any key}`. A key is Pandoc's: it starts with a letter (of any script), a digit or `_`,
and goes on with letters, digits and `_`, and single punctuation marks (`:.#$%&-+?<>~/`) between them.

Citations are found only where Python-Markdown shows text, so that what is checked is what is rendered: never
in code, comments, HTML tags (their attributes included), what `<script>`, `<style>`, `<pre>` and `<textarea>`
hold, autolinks, addresses, attribute lists, or link and abbreviation definitions; in a link's text a citation
would put a link inside a link, so it stays as written and gets a warning. The text is read in passes that each take time linear in its length, whatever it holds.
Positions are 1-based lines and columns of the Markdown source.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import markdown
from markdown import inlinepatterns
from markdown.extensions import toc

from .problems import Problem

NORMAL, AUTHOR_IN_TEXT, SUPPRESS_AUTHOR = "NormalCitation", "AuthorInText", "SuppressAuthor"  # Pandoc's modes


@dataclass(frozen=True)
class Cite:
    key: str
    prefix: str = ""  # Markdown as written, white space collapsed: "see"
    suffix: str = ""  # Markdown as written after the key, white space collapsed: ", p. 33"; "p. 33" after `@key [`
    line: int = 0
    col: int = 0
    mode: str = NORMAL


@dataclass
class Group:
    start: int  # offsets into the Markdown text
    end: int
    cites: list[Cite]
    anchor: str = ""  # id of the heading of the section that holds it
    section: str = ""
    bracketed: bool = True  # [@a; @b]; False for `@a`, `@a [p. 3]`, `-@a`

    @property
    def narrative(self) -> bool:
        """@key in running text: "Yang et al. (2018)"."""
        return self.cites[0].mode == AUTHOR_IN_TEXT


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
    problems: list[Problem] = field(default_factory=list)  # warnings about text that reads as a citation but is none

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return _line_starts(self.text)

    def position(self, at: int) -> tuple[int, int]:
        """The line and column of an offset into the body, counted in the file."""
        return _position(self._line_starts, at, self.line_offset)

    def reading(self) -> list[dict]:
        """The citations as Pandoc's reader exposes them (`pandoc -t json`): per group its place and text, and
        each citation's key, mode, prefix and suffix (Markdown as written, the locator part of the suffix)."""
        groups = []
        for group in self.groups:
            (line, col), (end_line, end_col) = self.position(group.start), self.position(group.end - 1)
            groups.append({"line": line, "col": col, "end_line": end_line, "end_col": end_col, "text": self.text[group.start : group.end],
                           "citations": [{"key": c.key, "mode": c.mode, "prefix": c.prefix, "suffix": c.suffix, "line": c.line, "col": c.col}
                                         for c in group.cites]})
        return groups


# Lines.
# A fence as fenced_code and superfences read one: its line holds no white space but spaces and tabs (not U+2028).
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})(?:[ \t]|[^\s])*$")
# An unindented line that opens a container whose indented lines are prose: a list item, admonition, tab or note.
_CONTAINER_RE = re.compile(r"([-*+]|\d+[.)])\s|!!!|\?\?\?|===|\[\^[^\]\n]*\]:|:\s")
# A line that starts a block of its own: inline text (and so a citation) never runs across its start.
_BLOCK_START_RE = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|===|:[ \t])|[ ]{0,3}(?:\[\^[^\]\n]*\]:|([-*_=])[ \t]*(?:\1[ \t]*){2,}$)")
_HEADING_RE = re.compile(r"#{1,6}")
_RAW_START_RE = re.compile(r"<(script|style|pre|textarea)(?=[\s>])", re.IGNORECASE)
_RAW_END_RE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style", "pre", "textarea")}
_COMMENT_END_RE = re.compile("-->")
_ABBREVIATION_RE = re.compile(r"\*\[[^\]\n]*\][ ]?:")  # abbr's `*[HTML]: Hyper Text…`: the text is a title attribute
_REFERENCE_START_RE = re.compile(r"[ ]{0,3}\[([^\[\]\n]*)\]:[ ]*")
_TITLE_RE = re.compile(r"""(?:"[^\n]*"|'[^\n]*'|\([^\n]*\))[ ]*""")
_HEADER_ATTRS_RE = re.compile(r"\{:?[ ]*[^}\n ][^\n]*\}")  # attr_list's `{ #id .class }` closing a heading
_SPACE_LINE_RE = re.compile(r"[ \t]*")

# Inline text: what ends inline runs is Python-Markdown's, tried at each `<`.
_AUTOLINK_RE = re.compile(inlinepatterns.AUTOLINK_RE, re.DOTALL)
_AUTOMAIL_RE = re.compile(inlinepatterns.AUTOMAIL_RE, re.DOTALL)
_HTML_RE = re.compile(inlinepatterns.HTML_RE, re.DOTALL)
_BACKTICKS_RE = re.compile(r"`+")
# Python-Markdown's escapes (and citepages' `\@`), key starts, brackets, parentheses, `;`, tags and bare addresses.
_TOKEN_RE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!@]|-?@|[<\[\]();]|://")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_URL_TAIL_RE = re.compile(r"[^\s<>)\]]*")
# Pandoc's simpleCiteIdentifier: `\w` is Unicode letters and digits and `_`, as Haskell's isAlphaNum and `_`.
_KEY_RE = re.compile(r"\w(?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*")
_BRACES_RE = re.compile(r"[{}\s]")
# After these an `@` is part of a word, an address or a handle, never a citation (Pandoc: after a word or `.`).
_NOT_BEFORE_KEY = frozenset("_.@/:+-\\")
_BLANK_RE = re.compile("[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # blanked text keeps what str.splitlines splits on
_SPACES_RE = re.compile(r"\s+")
_CONTINUATION_RE = re.compile(r"\n[ \t>]*")  # a line break inside a citation, and a blockquote's marks after it

_FOOTNOTE, _LINK, _IMAGE = "footnote", "link", "image"  # what a pair of brackets is, when it is no citation


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _position(line_starts: list[int], at: int, line_offset: int) -> tuple[int, int]:
    """The 1-based line (after `line_offset` lines) and column of an offset."""
    line = bisect.bisect_right(line_starts, at)
    return line + line_offset, at - line_starts[line - 1] + 1


def _is_space(char: str) -> bool:
    """White space as Haskell's isSpace reads it (braced keys hold anything else): U+2028 is not."""
    return char in " \t\n\r\f\v\xa0" or (char > "\xff" and unicodedata.category(char) == "Zs")


def _collapse(text: str) -> str:
    """A prefix or suffix as one line: its line breaks (and blockquote marks after them) become one space."""
    return _SPACES_RE.sub(" ", _CONTINUATION_RE.sub(" ", text)).rstrip()


def _label(text: str) -> str:
    """A link label as Python-Markdown compares them."""
    return _SPACES_RE.sub(" ", text).lower()


@dataclass
class _Key:
    at: int  # the `@`, or the `-` of `-@`
    end: int
    key: str
    mode: str


@dataclass
class _Pair:
    open: int
    close: int
    parent: _Pair | None
    tokens: list = field(default_factory=list)  # the _Key and `;` (int) directly inside, in order
    children: list = field(default_factory=list)
    kind: str = ""
    in_link: bool = False  # inside a link's text (or this pair is one)
    cites: list[Cite] | None = None


class _Scan:
    """One pass over a Markdown body: what is hidden from citations, the headings, and the citation groups."""

    def __init__(self, text: str, footnotes: bool = True, line_offset: int = 0):
        self.text = text
        self.footnotes = footnotes
        self.line_offset = line_offset
        self.hidden = bytearray(len(text))
        self.line_starts = _line_starts(text)
        self.blocks: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int, int, int, int]] = []  # (level, line start, title start, end, end of its words)
        self.references: set[str] = set()
        self.groups: list[Group] = []
        self.warnings: list[tuple[int, str]] = []  # (offset, message)
        self._unclosed: dict[str, int] = {}  # per raw element: the offset from which none is closed
        self._lines()
        for start, end in self.blocks:
            self._code_spans(start, end)
        self._comments()
        for start, end in self.blocks:
            self._inline(start, end)
        self.groups.sort(key=lambda g: g.start)

    def hide(self, start: int, end: int) -> None:
        if end > start:
            self.hidden[start:end] = b"\x01" * (end - start)

    def position(self, at: int) -> tuple[int, int]:
        return _position(self.line_starts, at, self.line_offset)

    def masked(self) -> str:
        """The text with everything hidden blanked (line breaks kept), offsets and lines unchanged."""
        out, pos, text, hidden = [], 0, self.text, self.hidden
        while (start := hidden.find(1, pos)) != -1:
            end = hidden.find(0, start)
            end = len(text) if end == -1 else end
            out += [text[pos:start], _BLANK_RE.sub(" ", text[start:end])]
            pos = end
        out.append(text[pos:])
        return "".join(out)

    # Blocks: code, headings, definitions and the runs of lines whose inline text Python-Markdown reads as one.

    def _lines(self) -> None:
        text = self.text
        fence: str | None = None
        in_code = previous_blank = True
        container = quoted = False  # the last unindented line opened a container; the block is a blockquote
        block: int | None = None
        raw_end = 0  # a block-level comment or raw element runs to here
        pos = 0
        for line in text.split("\n"):  # Python-Markdown's lines: U+2028 and the like end no line
            start, end = pos, pos + len(line)
            pos = end + 1
            if end < raw_end:
                continue  # inside a block-level comment or raw element
            stripped = line.lstrip(" \t")
            code = False
            if fence is not None:
                if stripped.rstrip(" \t") == fence:
                    fence = None
                code = True
            elif marker := _FENCE_RE.match(line):
                fence = marker[1][0] * len(marker[1])
                code = True
            elif line.startswith(("    ", "\t")) and stripped.strip():
                code = (previous_blank or in_code) and not container
            elif stripped.strip() and not line.startswith((" ", "\t")):
                container = bool(_CONTAINER_RE.match(line))
            in_code = code and fence is None and line.startswith(("    ", "\t"))
            previous_blank = not line.strip()
            if code or previous_blank:
                if code:
                    self.hide(start, end)
                block = self._close(block, start)
                continue
            opener = start + len(line) - len(stripped)
            if opener - start < 4 and opener >= raw_end and (close := self._raw_end(stripped, opener)) is not None:
                block = self._close(block, start)
                raw_end = close
                self.hide(opener, close)
                if close > end:
                    continue
            if self._definition(line, start, end):
                block = self._close(block, start)
                continue
            heading = _HEADING_RE.match(line)
            quote = stripped.startswith(">")
            if heading or quote != quoted or _BLOCK_START_RE.match(line):
                block = self._close(block, start)
            quoted = quote
            if block is None:
                block = start
            if heading:
                self._heading(len(heading[0]), start, end)
                block = self._close(block, pos)
        self._close(block, len(text) + 1)

    def _raw_end(self, stripped: str, opener: int) -> int | None:
        """Where a comment, or an element whose content is no Markdown (script, style, pre, textarea), that starts
        a line ends; None if it starts none or never ends. An unclosed one is remembered: no later one closes."""
        if stripped.startswith("<!--"):
            name, closer = "--", _COMMENT_END_RE
        elif element := _RAW_START_RE.match(stripped):
            name = element[1].lower()
            closer = _RAW_END_RE[name]
        else:
            return None
        if opener >= self._unclosed.get(name, len(self.text) + 1):
            return None
        found = closer.search(self.text, opener + 4)
        if found is None:
            self._unclosed[name] = opener
            return None
        return found.end()

    def _close(self, block: int | None, next_line: int) -> None:
        """Ends the block that started at `block` before the line at `next_line`; no block is open after."""
        if block is not None and next_line - 1 > block:
            self.blocks.append((block, next_line - 1))
        return None

    def _definition(self, line: str, start: int, end: int) -> bool:
        """A link or abbreviation definition (hidden: it shows no text of its own), or a footnote's marker."""
        if _ABBREVIATION_RE.match(line):
            self.hide(start, end)
            return True
        match = _REFERENCE_START_RE.match(line)
        if match is None:
            return False
        if self.footnotes and match[1].startswith("^"):
            self.hide(start, start + match.end())  # the note's text is prose
            return False
        # Python-Markdown's reference: an address, then nothing or a title (on this line or the next).
        rest = line[match.end() :]
        address = rest.split(" ", 1)[0]
        after = rest[len(address) :].lstrip(" ")
        if address and not (after and not _TITLE_RE.fullmatch(after)):
            self.references.add(_label(match[1].strip()))
            self.hide(start, end)
            return True
        return False

    def _heading(self, hashes: int, start: int, end: int) -> None:
        """An ATX heading, read as Python-Markdown reads it: up to six `#`, the text, trailing `#` dropped."""
        text = self.text
        level = min(hashes, 6)
        title_start, title_end = start + level, end
        while title_end > title_start and text[title_end - 1] == "#":
            title_end -= 1
        if title_end > title_start and text[title_end - 1] == "\\" and title_end < end:
            title_end += 1  # an escaped `#` is text
        raw = text[title_start:title_end].rstrip()
        title_end = words_end = title_start + len(raw)
        if raw.endswith("}") and (brace := raw.rfind("{")) > 0 and raw[brace - 1] == " " and _HEADER_ATTRS_RE.fullmatch(raw[brace:]):
            self.hide(title_start + brace, title_end)  # attributes: never a citation, and not the heading's words
            words_end = title_start + len(raw[:brace].rstrip())
        self.headings.append((level, start, title_start, title_end, words_end))

    # Code spans, as Python-Markdown pairs backtick runs (markdown.inlinepatterns.BacktickInlineProcessor).

    def _code_spans(self, start: int, end: int) -> None:
        text = self.text
        runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text, start, end) if not self.hidden[m.start()]]
        if not runs:
            return
        by_length: dict[int, list[int]] = {}  # length -> indices of the runs of that length, in order
        for i, (run_start, run_end) in enumerate(runs):
            by_length.setdefault(run_end - run_start, []).append(i)
        # For each run, the longest of the runs after it (its first occurrence): the closer when none fits exactly.
        longest: list[tuple[int, int]] = [(0, -1)] * len(runs)
        best = (0, -1)
        for i in range(len(runs) - 1, -1, -1):
            longest[i] = best
            if runs[i][1] - runs[i][0] >= best[0]:
                best = (runs[i][1] - runs[i][0], i)
        i, resume = 0, start
        while i < len(runs):
            run_start, run_end = runs[i]
            if run_end <= resume:
                i += 1
                continue
            begin = max(run_start, resume)
            backslashes = 0
            while begin - backslashes > start and text[begin - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2:  # an escaped backtick opens nothing; the rest of the run may
                begin += 1
                if begin >= run_end:
                    i += 1
                    continue
            ticks = run_end - begin
            same = by_length.get(ticks, [])
            at = bisect.bisect_right(same, i)
            closer = same[at] if at < len(same) else None
            if closer is None and 0 < longest[i][0] < ticks:
                closer = longest[i][1]
            if closer is not None:
                self.hide(begin, runs[closer][1])
                resume = runs[closer][1]
                i = closer + 1
            else:
                resume = run_end + ticks  # Python-Markdown skips as many characters again after a lone run
                i += 1

    def _comments(self) -> None:
        """HTML comments inside paragraphs (block-level ones are hidden with the lines): each to the next `-->`."""
        text, pos = self.text, 0
        while (opener := text.find("<!--", pos)) != -1:
            if self.hidden[opener]:
                pos = opener + 1
                continue
            close = text.find("-->", opener + 4)
            if close == -1:
                return  # no later comment closes either
            self.hide(opener, close + 3)
            pos = close + 3

    # Inline text of one block: tags and addresses hidden, brackets paired, keys found, citations read.

    def _inline(self, start: int, end: int) -> None:
        text, hidden = self.text, self.hidden
        pairs: list[_Pair] = []
        stack: list[_Pair] = []
        parens: list[int] = []
        paren_close: dict[int, int] = {}
        top: list = []  # keys and `;` outside every bracket
        escaped: set[int] = set()
        braces: dict[int, int] | None = None
        skip = start
        for match in _TOKEN_RE.finditer(text, start, end):
            at = match.start()
            if at < skip or hidden[at]:
                continue
            token = match[0]
            if token[0] == "\\":
                escaped.add(at + 1)
            elif token == "<":
                tag = _AUTOLINK_RE.match(text, at, end) or _AUTOMAIL_RE.match(text, at, end) or _HTML_RE.match(text, at, end)
                if tag:
                    self.hide(at, tag.end())
                    skip = tag.end()
            elif token == "://":
                skip = self._address(at, start, end)
            elif token == "[":
                stack.append(_Pair(at, -1, stack[-1] if stack else None))
            elif token == "]":
                if stack:
                    pair = stack.pop()
                    pair.close = at
                    pairs.append(pair)
            elif token == "(":
                parens.append(at)
            elif token == ")":
                if parens:
                    paren_close[parens.pop()] = at
            elif token == ";":
                (stack[-1].tokens if stack else top).append(at)
            else:
                if braces is None and text.startswith("{", match.end()):
                    braces = self._braces(start, end)
                key = self._key(at, match.end(), end, braces or {})
                if key is not None:
                    (stack[-1].tokens if stack else top).append(key)
                    skip = key.end
        for pair in stack:  # never closed: their contents are outside any bracket
            top.extend(pair.tokens)
        opened = {p.open: p for p in pairs}
        for pair in pairs:
            while pair.parent is not None and pair.parent.close == -1:
                pair.parent = pair.parent.parent
            if pair.parent is not None:
                pair.parent.children.append(pair)
        pairs.sort(key=lambda p: p.open)  # parents before their children
        for pair in pairs:
            self._classify(pair, opened, paren_close, escaped, end)
        for pair in pairs:
            if pair.kind == "" and not pair.in_link:
                pair.cites = self._group(pair)
        self._narratives(pairs, top, opened, end)
        for pair in pairs:
            if pair.cites is not None:
                self.groups.append(Group(pair.open, pair.close + 1, pair.cites))
            elif pair.in_link:
                for token in pair.tokens:
                    if isinstance(token, _Key) and not hidden[token.at]:
                        self._warn(token, "an image's description" if pair.kind == _IMAGE else "a link's text")

    def _address(self, at: int, start: int, end: int) -> int:
        """A bare address (`https://…`): hidden, as an `@` in it is never a citation. Returns where it ends."""
        text = self.text
        begin = at
        while begin > start and text[begin - 1] in _SCHEME_CHARS:
            begin -= 1
        while begin < at and not text[begin].isalpha():
            begin += 1
        if begin == at or (begin > start and (text[begin - 1].isalnum() or text[begin - 1] == "_")):
            return at + 3
        stop = _URL_TAIL_RE.match(text, at + 3, end).end()
        self.hide(begin, stop)
        return stop

    def _braces(self, start: int, end: int) -> dict[int, int]:
        """Each `{` and the `}` that balances it with no white space between: braced keys, read once per block."""
        close, stack = {}, []
        for match in _BRACES_RE.finditer(self.text, start, end):
            char = match[0]
            if char == "{":
                stack.append(match.start())
            elif char == "}":
                if stack:
                    close[stack.pop()] = match.start()
            elif _is_space(char):
                stack.clear()
        return close

    def _key(self, at: int, after: int, end: int, braces: dict[int, int]) -> _Key | None:
        """The citation key at `@` (or `-@`), by Pandoc's citeKey; None where there is none."""
        text = self.text
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] in _NOT_BEFORE_KEY):
            return None
        mode = SUPPRESS_AUTHOR if text[at] == "-" else AUTHOR_IN_TEXT
        if after < end and text[after] == "{":
            close = braces.get(after)
            if close is None or close == after + 1:
                return None
            return _Key(at, close + 1, text[after + 1 : close], mode)
        match = _KEY_RE.match(text, after, end)
        return _Key(at, match.end(), match[0], mode) if match else None

    def _classify(self, pair: _Pair, opened: dict[int, _Pair], paren_close: dict[int, int], escaped: set[int], end: int) -> None:
        """Whether a pair of brackets is a footnote reference, a link's text or an image's description (as
        Python-Markdown reads them: `[text](address)`, `[text][label]`, `[label]` defined on the page)."""
        text = self.text
        pair.in_link = pair.parent is not None and (pair.parent.in_link or pair.parent.kind in (_LINK, _IMAGE))
        after = pair.close + 1
        if self.footnotes and text.startswith("^", pair.open + 1):
            pair.kind = _FOOTNOTE
            return
        link = False
        if after < end and text[after] == "(" and after in paren_close:
            link = True
            self.hide(after, paren_close[after] + 1)
        elif self.references:  # a label holds no brackets, so only a pair without any can be one
            label_at = after + 1 if after < end and text[after] in " \t\n" else after
            label = opened.get(label_at)
            if label is not None and label.close != -1 and not label.children:
                name = text[label.open + 1 : label.close] or (text[pair.open + 1 : pair.close] if not pair.children else "")
                if _label(name) in self.references:
                    link = True
                    self.hide(label.open, label.close + 1)
            if not link and not pair.children and _label(text[pair.open + 1 : pair.close]) in self.references:
                link = True
        if link:
            image = pair.open > 0 and text[pair.open - 1] == "!" and pair.open - 1 not in escaped
            pair.kind = _IMAGE if image else _LINK
            pair.in_link = True

    def _group(self, pair: _Pair) -> list[Cite] | None:
        """The citations of `[…]` by Pandoc's normalCite, or None when it is none. Brackets inside one are
        links or notes; any other `]` would have closed it."""
        if any(child.kind not in (_LINK, _IMAGE, _FOOTNOTE) for child in pair.children):
            return None
        return self._items(pair.open + 1, pair.close, pair.tokens)

    def _items(self, start: int, end: int, tokens: list) -> list[Cite] | None:
        """Pandoc's citeList between `start` and `end`: items separated by `;`, each a prefix, a key, a suffix."""
        text, hidden = self.text, self.hidden
        tokens = [t for t in tokens if not hidden[t if isinstance(t, int) else t.at]]
        cites, pos, i = [], start, 0
        while True:
            if i == len(tokens) or isinstance(tokens[i], int):
                return None  # an item without a key: a prefix holds no `;`
            key = tokens[i]
            prefix = text[pos : key.at]
            i += 1
            nested = []
            while i < len(tokens) and not isinstance(tokens[i], int):
                nested.append(tokens[i])
                i += 1
            stop = tokens[i] if i < len(tokens) else end
            line, col = self.position(key.at + (key.mode == SUPPRESS_AUTHOR))
            mode = SUPPRESS_AUTHOR if key.mode == SUPPRESS_AUTHOR else NORMAL
            cites.append(Cite(key.key, _collapse(prefix).strip(), _collapse(text[key.end : stop]), line, col, mode))
            for other in nested:
                self._warn(other, f"the suffix of the citation of '{key.key}'", "separate the citations with ';'")
            if stop == end:
                return cites
            pos, i = stop + 1, i + 1

    def _narratives(self, pairs: list[_Pair], top: list, opened: dict[int, _Pair], end: int) -> None:
        """`@key`, `-@key`, `@key [p. 33]` and `@key [p. 33; @b]`: Pandoc's textualCite, outside every group."""
        text, hidden = self.text, self.hidden
        candidates = [t for t in top if not isinstance(t, int)]
        for pair in pairs:
            if pair.cites is None and not pair.in_link and pair.kind != _FOOTNOTE:
                candidates += [t for t in pair.tokens if not isinstance(t, int)]
        candidates.sort(key=lambda k: k.at)
        taken = 0
        for key in candidates:
            if key.at < taken or hidden[key.at]:
                continue
            line, col = self.position(key.at + (key.mode == SUPPRESS_AUTHOR))
            cites = [Cite(key.key, "", "", line, col, key.mode)]
            group_end = key.end
            bracket = self._after_spaces(key.end, end)
            pair = opened.get(bracket)
            if pair is not None and pair.close != -1 and pair.kind == "" and not pair.in_link:
                if pair.cites is not None:
                    cites += pair.cites
                    pair.cites = None
                    group_end = pair.close + 1
                elif (locator := self._locator(pair, end)) is not None:
                    cites = [Cite(key.key, "", locator[0], line, col, key.mode), *locator[1]]
                    group_end = pair.close + 1
            self.groups.append(Group(key.at, group_end, cites, bracketed=False))
            taken = group_end

    def _after_spaces(self, pos: int, end: int) -> int:
        """Past Pandoc's spnl: spaces, at most one line break, spaces."""
        text = self.text
        pos = _SPACE_LINE_RE.match(text, pos, end).end()
        if pos < end and text[pos] == "\n":
            pos = _SPACE_LINE_RE.match(text, pos + 1, end).end()
        return pos

    def _locator(self, pair: _Pair, end: int) -> tuple[str, list[Cite]] | None:
        """Pandoc's bareloc: the bracket after a narrative key as its suffix, then `; more citations`. None when
        the bracket is a reference to a link or a heading (`@key [Heading]`), or not a locator at all."""
        text = self.text
        after = pair.close + 1
        if (after < end and text[after] in "[(") or any(c.kind not in (_LINK, _IMAGE, _FOOTNOTE) for c in pair.children):
            return None
        if not pair.children and _label(text[pair.open + 1 : pair.close].strip()) in self.references | self.heading_labels:
            return None  # Pandoc links it (implicit header references); the key stands alone
        tokens = [t for t in pair.tokens if not self.hidden[t if isinstance(t, int) else t.at]]
        semicolon = next((i for i, t in enumerate(tokens) if isinstance(t, int)), len(tokens))
        if semicolon and any(not isinstance(t, int) for t in tokens[:semicolon]):
            return None
        stop = tokens[semicolon] if semicolon < len(tokens) else pair.close
        more: list[Cite] = []
        if semicolon < len(tokens):
            start = self._after_spaces(stop + 1, end)
            found = self._items(start, pair.close, tokens[semicolon + 1 :])
            if found is None:
                return None
            more = found
        return _collapse(text[pair.open + 1 : stop]).lstrip(), more

    @functools.cached_property
    def heading_labels(self) -> set[str]:
        return {_label(self.text[start:end].strip()) for _, _, start, _, end in self.headings}

    def _warn(self, key: _Key, where: str, advice: str = "take it out, or write \\@ for an at sign") -> None:
        self.warnings.append((key.at, f"'{self.text[key.at : key.end]}' is in {where}, where it cannot be a citation, "
                                      f"so it stays as written ({advice})"))


def mask_code(text: str) -> str:
    """The text with code, comments, tags, addresses and link definitions blanked, offsets unchanged."""
    return _Scan(text).masked()


def slugify(text: str) -> str:
    """An id or class name from text, as the toc extension makes heading ids (its own slugify)."""
    return toc.slugify(text, "-")


def without_citations(text: str) -> str:
    """The text with its citations removed."""
    out, pos = [], 0
    for group in _Scan(text).groups:
        out.append(text[pos : group.start])
        pos = group.end
    out.append(text[pos:])
    return "".join(out)


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
    # Runs of white space become one space, which gives the same id: attr_list's heading pattern takes time
    # quadratic in the length of such a run.
    lines = [f"# {_SPACES_RE.sub(' ', without_citations(title)).strip() or '-'}" for title in raw_titles]
    md = _heading_converter(**(toc_config or {}))
    md.reset().convert("\n\n".join(lines))
    ids = []

    def walk(tokens):
        for token in tokens:
            ids.append(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)
    return ids


def _headings(scan: _Scan, toc_config: dict | None, ids: bool) -> list[Heading]:
    text = scan.text
    raws = [text[start:end] for _, _, start, end, _ in scan.headings]
    anchors = heading_ids(raws, toc_config) if ids else [""] * len(raws)
    return [Heading(level, _heading_text(text[start:words_end]), anchor, offset)
            for (level, offset, start, _, words_end), anchor in zip(scan.headings, anchors)]


def find_headings(text: str, toc_config: dict | None = None, ids: bool = True) -> list[Heading]:
    """The page's headings in order; with `ids`, each with the id the toc extension gives it (else "")."""
    return _headings(_Scan(text), toc_config, ids)


_LINK_IN_TITLE_RE = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_TAG_IN_TITLE_RE = re.compile(r"<[^<>]+>")
_EMPHASIS_RE = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`")


def _heading_text(raw: str) -> str:
    """A heading as plain words, for "Cited on" labels: citations, links, tags and emphasis marks removed."""
    text = without_citations(raw)
    text = _LINK_IN_TITLE_RE.sub(r"\1", text)  # links keep their text
    text = _TAG_IN_TITLE_RE.sub("", text)
    text = _EMPHASIS_RE.sub("", text)  # emphasis marks, not the underscores inside words
    return _SPACES_RE.sub(" ", text).strip()


def split_front_matter(source: str) -> tuple[str | None, str, int]:
    """(YAML text or None, Markdown body, number of lines before the body)."""
    if source.startswith("\ufeff"):
        source = source[1:]
    match = re.match(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", source, re.DOTALL)
    if not match:
        return None, source, 0
    return match[1] or "", source[match.end() :], source.count("\n", 0, match.end())


def find_groups(body: str, line_offset: int = 0, footnotes: bool = True) -> list[Group]:
    """Every citation of a Markdown body, bracketed or narrative, in order of position."""
    return _Scan(body, footnotes, line_offset).groups


def analyse(path: str, body: str, line_offset: int = 0, toc_config: dict | None = None, ids: bool = True,
            footnotes: bool = True) -> Document:
    """Citation groups and headings of a Markdown body (with `ids`, each heading's id and each group's anchor).
    `footnotes`: whether `[^1]: text` is a note (Python-Markdown's footnotes extension), else a link definition."""
    scan = _Scan(body, footnotes, line_offset)
    doc = Document(path, body, line_offset, headings=_headings(scan, toc_config, ids))
    doc.problems = [Problem(path, *scan.position(at), message, warning=True) for at, message in scan.warnings]
    holder, h = None, 0
    for group in scan.groups:
        while h < len(doc.headings) and doc.headings[h].offset < group.start:
            holder, h = doc.headings[h], h + 1
        group.anchor = holder.anchor if holder and holder.level > 1 else ""
        group.section = holder.title if holder else ""
        doc.groups.append(group)
    return doc
