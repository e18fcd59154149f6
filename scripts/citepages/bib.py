"""Read a BibTeX library into checked entries, reporting every problem with its line.

bibtexparser 2 does the tokenising. Around it this module decodes the bytes, resolves
`@string` macros and `#` concatenation, turns LaTeX into Unicode, validates each entry,
and finds the blocks that bibtexparser would drop silently (it reads a malformed block
start as a comment), so that no entry is ever lost without a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from difflib import get_close_matches
from urllib.parse import urlsplit

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import NameParts, parse_single_name_into_parts, split_multiple_persons_names

from .latex import to_unicode
from .problems import Problem, decode, excerpt

STUDY_TYPES = {
    "rct": "Randomised controlled trial",
    "open-label": "Open-label study",
    "observational": "Observational study",
    "animal": "Animal study",
    "review": "Review",
    "meta-analysis": "Systematic review or meta-analysis",
    "regulatory": "Regulatory document",
    "history": "First-hand history",
    "methods": "Methods guidance",
}

# Each tuple is one requirement: at least one of its fields must be present.
REQUIRED = {
    "article": [("author",), ("title",), ("journal", "journaltitle"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    "inbook": [("author", "editor"), ("title",), ("year", "date")],
    "incollection": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "misc": [("title",), ("year", "date"), ("author", "organization", "publisher", "institution")],
    "online": [("title",), ("url",), ("year", "date")],
    "report": [("title",), ("year", "date"), ("author", "institution")],
    "techreport": [("title",), ("year", "date"), ("author", "institution")],
    "phdthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "mastersthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "thesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "unpublished": [("author",), ("title",)],
}

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "sept"} | set(MONTHS)

# Fields whose value is an identifier or address, not prose: no LaTeX conversion.
_VERBATIM = {"doi", "pmid", "pmcid", "url", "file", "eprint", "isbn", "issn"}

# A key is any BibTeX key: Pandoc cites every one (`@{…}` takes what `@key` cannot). Its study page's file name
# keeps its letters (of any script), digits, `_`, `-` and `.`; each run of anything else becomes one `-`.
_NOT_IN_PAGE_NAME_RE = re.compile(r"[^\w.-]+")
MAX_KEY_LENGTH = 100  # bytes of a study page's file name, far below any file system's limit (255 bytes)
_KEY_EQUALS = "\ufdd0"  # stands for `=` in keys while bibtexparser reads the file (it takes `=` to end a key)
_KEY_WITH_EQUALS_RE = re.compile(r"(@[ \t]*(?!(?:string|comment|preamble)\b)[A-Za-z]+[ \t\n]*[{(][ \t\n]*)([^,\s{}()=]*=[^,\s{}()]*)", re.IGNORECASE)
# Identifiers are ASCII (re.ASCII: \d is 0-9, never Arabic-Indic or full-width digits).
DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/(?:(?![\"'<>\\{}])[!-~])+", re.ASCII)
DOI_TRAILING = ".,;:"  # a DOI pasted with the sentence around it
PMID_RE = re.compile(r"[1-9]\d{0,8}", re.ASCII)
PMCID_RE = re.compile(r"PMC\d{1,9}", re.ASCII)
YEAR_RE = re.compile(r"\d{4}", re.ASCII)
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/.*)?", re.ASCII)
FIELD_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_:.+-]*")
_BLOCK_START_RE = re.compile(r"@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])")
_LINE_BLOCK_RE = re.compile(r"[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]")
_SPECIAL_RE = re.compile(r"\\.|[{}()\n]", re.DOTALL)


@dataclass(frozen=True)
class Name:
    """One name, in BibTeX's four parts: "Ludwig van Beethoven" is first "Ludwig", von "van", last "Beethoven"."""

    last: str
    first: str = ""
    literal: bool = False  # an organisation written as {Name}
    von: str = ""
    jr: str = ""

    @property
    def family(self) -> str:
        """The surname as a reader writes it, particles included: "van der Berg"."""
        return f"{self.von} {self.last}" if self.von else self.last

    @cached_property
    def initials(self) -> str:
        parts = re.split(r"[\s.]+", self.first.replace("-", " "))
        return "".join(p[0] for p in parts if p and p[0].isalpha())

    def vancouver(self) -> str:
        """"van der Berg A Jr", as PubMed writes names."""
        if self.literal:
            return self.last
        return " ".join(p for p in (self.family, self.initials, self.jr.rstrip(".")) if p)

    def last_first(self) -> str:
        """"van der Berg, Anna, Jr", as RIS, COinS and Google Scholar want names."""
        return ", ".join(p for p in (self.family, self.first, self.jr) if p)

    def first_last(self) -> str:
        return " ".join(p for p in (self.first, self.family, self.jr) if p)


@dataclass
class Entry:
    key: str
    type: str
    line: int
    latex: dict[str, str] = field(default_factory=dict)  # resolved values, LaTeX as written
    fields: dict[str, str] = field(default_factory=dict)  # the same values as plain Unicode
    field_lines: dict[str, int] = field(default_factory=dict)
    notice: tuple[str, str] | None = None  # (label, HTML): a plug-in's note on the study, shown wherever the study is
    rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # what render.py makes of it once per build

    @cached_property
    def authors(self) -> list[Name]:
        """Authors (or editors), parsed when first needed: `citepages check` never needs them."""
        names = self.latex.get("author") or self.latex.get("editor")
        return parse_names(names) if names else []

    def get(self, *names: str) -> str:
        return next((self.fields[n] for n in names if self.fields.get(n)), "")

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def journal(self) -> str:
        return self.get("journal", "journaltitle", "booktitle", "publisher", "organization", "institution")

    @property
    def year(self) -> str:
        if self.fields.get("year"):
            return self.fields["year"]
        match = DATE_RE.fullmatch(self.fields.get("date", ""))
        return match[1] if match else ""

    @property
    def date_parts(self) -> list[int]:
        """[year, month, day], as far as the entry gives them: from biblatex's `date`, else `year` and `month`."""
        match = DATE_RE.fullmatch(self.fields.get("date", ""))
        if match:
            return [int(part) for part in match.groups() if part]
        if not YEAR_RE.fullmatch(self.fields.get("year", "")):
            return []
        month = month_number(self.fields.get("month", ""))
        return [int(self.fields["year"]), month] if month else [int(self.fields["year"])]

    @property
    def iso_date(self) -> str:
        """The date as far as it is known, in ISO form: "1999", "1999-07" or "1999-07-13"."""
        return "-".join(f"{part:0{4 if i == 0 else 2}d}" for i, part in enumerate(self.date_parts))

    @property
    def published(self) -> tuple[int, int | None, int | None] | None:
        """(year, month, day), as far as the entry gives them (None where it does not)."""
        parts = self.date_parts
        return (*parts, None, None)[:3] if parts else None

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")

    @property
    def url(self) -> str:
        return self.fields.get("url", "")

    @property
    def studytype(self) -> str:
        return self.fields.get("studytype", "")

    @property
    def background(self) -> bool:
        return self.fields.get("background", "").lower() in ("true", "yes")


@dataclass
class Library:
    path: str
    entries: dict[str, Entry] = field(default_factory=dict)

    def suggest(self, key: str) -> str | None:
        """The closest key, preferring keys by the same first author (yang2019 -> yang2018ketamine)."""
        lower = _folded(key)
        author = _first_word(lower)
        same_author = [k for k in self.entries if author and _first_word(_folded(k)) == author]
        pool = same_author or list(self.entries)
        close = get_close_matches(lower, [_folded(k) for k in pool], n=1, cutoff=0.4 if same_author else 0.75)
        return next((k for k in pool if _folded(k) == close[0]), None) if close else None


def _folded(key: str) -> str:
    """A key compared for suggestions: lower case, full-width letters and digits as their usual forms."""
    return unicodedata.normalize("NFKC", key).lower()


def _first_word(key: str) -> str:
    """The letters a key starts with (the first author's surname, by the naming rule); "" when it starts otherwise."""
    match = re.match(r"[^\W\d_]+", key)
    return match[0] if match else ""


def page_name(key: str) -> str:
    """The file name of a key's study page, `studies/<name>/`: `averroes/bland` -> `averroes-bland`."""
    return _NOT_IN_PAGE_NAME_RE.sub("-", key).strip("-.")


def month_number(value: str) -> int | None:
    """1-12 for a BibTeX month ("7", "jul", "July"), else None."""
    value = value.strip().lower().rstrip(".")
    if value.isascii() and value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return MONTHS.index(value[:3]) + 1 if value in _MONTH_NAMES else None


def _is_date(value: str) -> bool:
    """An ISO date (or the start of a range) that exists: not 2019-02-30."""
    match = DATE_RE.fullmatch(value)
    try:
        return bool(match) and bool(dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1)))
    except ValueError:
        return False


@dataclass
class _Scan:
    """What a scan of the raw text finds that bibtexparser does not say."""

    blocks: list[tuple[int, str, str]] = field(default_factory=list)  # every block start BibTeX sees: (line, type, key)
    problems: list[Problem] = field(default_factory=list)
    unclosed: set[int] = field(default_factory=set)  # lines of blocks never closed
    commented: set[int] = field(default_factory=set)  # lines of entries that start on a '%' line
    cut: set[int] = field(default_factory=set)  # lines of entries ended early by a stray '}'


_LOST_FIELD_RE = re.compile(r"(?:^|[\s,])([A-Za-z][\w:.+-]*)\s*=\s*[{\"\w]")
_BAD_START_RE = re.compile(r"[ \t]*@[ \t]*[A-Za-z]")  # outside a block, only a malformed entry start begins a line so


def _gap(scan: _Scan, path: str, gap: str, line: int, previous: tuple[str, int] | None) -> None:
    """Problems in text outside any block (from `line` on): BibTeX skips it, so what it holds of an entry is lost.
    A line that starts with '@' is a malformed entry start; fields after an entry's end (`previous`: its key and
    line) mean a stray '}' ended it early; fields elsewhere, a missing entry start."""
    lines = [(line + i, text) for i, text in enumerate(gap.split("\n")) if not text.lstrip().startswith("%")]
    for number, text in lines:
        if _BAD_START_RE.match(text):
            scan.problems.append(Problem(path, number, None, f"entry start {excerpt(text.strip())} is malformed (expected "
                                         "'@type{key,'), so BibTeX would skip the entry"))
            return
    kept = "\n".join(text for _, text in lines)
    lost = list(dict.fromkeys(m[1] for m in _LOST_FIELD_RE.finditer(kept)))
    names = ", ".join(f"'{excerpt(n, quoted=False)}'" for n in lost[:5]) + (", …" if len(lost) > 5 else "")
    fields = f"field{'s' if len(lost) > 1 else ''} {names}"
    if lost and previous is not None:
        scan.problems.append(Problem(path, line, None, f"entry '{previous[0]}' ends on this line, before its {fields}, "
                                     "which would be lost: a stray '}'?"))
        scan.cut.add(previous[1])
    elif lost:
        first = next((number for number, text in lines if "=" in text), line)
        scan.problems.append(Problem(path, first, None, f"{fields} outside any entry, which would be lost: "
                                     "is the entry's '@type{key,' missing?"))
    elif "}" in kept:
        first = next((number for number, text in lines if "}" in text), line)
        after = f" after the end of entry '{previous[0]}'" if previous is not None else " outside any entry"
        scan.problems.append(Problem(path, first, None, f"a '}}'{after}: a stray '}}'?"))


def _scan_blocks(text: str, path: str) -> _Scan:
    """Every block start BibTeX would see, blocks never closed, entries on '%' lines, and what lies between
    blocks that BibTeX would skip (`_gap`)."""
    scan = _Scan()
    pos, line, counted, line_start = 0, 1, 0, 0
    gap: tuple[int, int, tuple[str, int] | None] | None = (0, 1, None)  # where text outside blocks starts, its line, the entry before

    def check_gap(until: int) -> None:
        if gap is not None:
            _gap(scan, path, text[gap[0] : until], gap[1], gap[2])

    while (match := _BLOCK_START_RE.search(text, pos)) is not None:
        # Counted on from the last block: linear in the file.
        line += text.count("\n", counted, match.start())
        line_start = max(line_start, text.rfind("\n", counted, match.start()) + 1)
        counted = match.start()
        check_gap(line_start)
        kind, opener = match[1].lower(), match[2]
        closer = "}" if opener == "{" else ")"
        key = re.match(r"\s*([^,\s{}()=]*)", text[match.end() : match.end() + 200])[1]
        entry = kind not in ("comment", "preamble", "string")
        if entry and text[line_start : match.start()].lstrip().startswith("%"):
            scan.commented.add(line)
            scan.problems.append(Problem(path, line, None, f"entry '{excerpt(key, quoted=False)}' starts on a line that starts with '%': "
                                         "BibTeX reads it all the same ('%' is no comment to it); delete the entry, or the '%'"))
        depth, end = 1, None
        for token in _SPECIAL_RE.finditer(text, match.end()):
            char = token[0]
            if char == "{":
                depth += 1
            elif char == "}" or (char == closer and depth == 1):
                depth -= 1
                if depth == 0:
                    end = token.end() if char == closer else None
                    break
            elif char == "\n" and kind not in ("comment", "preamble") and _LINE_BLOCK_RE.match(text, token.end()):
                # A new entry starting while this one is open means a brace was never closed.
                break
        scan.blocks.append((line, kind, key))
        if end is None:
            what = f"entry '{key}'" if key and entry else f"@{kind} block"
            scan.problems.append(Problem(path, line, None, f"{what}: unbalanced braces, the block is never closed"))
            scan.unclosed.add(line)
            gap, pos = None, match.end()  # what follows is the open block's: reported once, above
            continue
        end_line = line + text.count("\n", match.start(), end)
        gap = (end, end_line, (key, line) if entry and line not in scan.commented else None)
        pos = end
    check_gap(len(text))
    return scan


_OPERAND_RE = re.compile(r"[^\s#{}\"=,]+")  # a number or an @string macro's name
_NEXT_FIELD_RE = re.compile(r"([A-Za-z][\w:.+-]*)\s*=")


def _literal_end(raw: str, pos: int) -> int | None:
    """The offset just past the braced or quoted literal starting at `pos` (a quote ends only outside braces)."""
    depth, closer = 0, "}" if raw[pos] == "{" else '"'
    for at in range(pos + 1, len(raw)):
        char = raw[at]
        if char == closer and depth == 0:
            return at + 1
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
    return None


def _resolve(raw: str, macros: dict[str, str]) -> tuple[str, str | None, int]:
    """The value of a `#` expression of literals, numbers and macros; or "", what is wrong with it, and the
    offset in `raw` where it goes wrong (a missing comma lets one field's value run into the next field)."""
    out, pos = [], 0
    while True:
        pos = len(raw) - len(raw[pos:].lstrip())
        if pos == len(raw) or raw[pos] == "#":
            return "", "empty part in a '#' concatenation", pos
        if raw[pos] in "{\"":
            end = _literal_end(raw, pos)
            if end is None:
                return "", "unbalanced braces or quotes", pos
            out.append(raw[pos + 1 : end - 1])
        elif (operand := _OPERAND_RE.match(raw, pos)) is not None:
            end, name = operand.end(), operand[0].lower()
            if name.isascii() and name.isdigit():
                out.append(name)
            elif name in macros:
                out.append(macros[name])
            elif name in MONTHS:
                out.append(str(MONTHS.index(name) + 1))
            else:
                return "", f"undefined @string macro '{excerpt(operand[0], quoted=False)}'", pos
        else:
            end = pos
        pos = len(raw) - len(raw[end:].lstrip())
        if pos == len(raw):
            return "".join(out), None, 0
        if raw[pos] != "#":
            following = _NEXT_FIELD_RE.match(raw, pos)
            if following is not None:
                return "", f"a comma is missing after its value, before field '{excerpt(following[1], quoted=False)}'", end
            return "", f"text after the value: {excerpt(raw[pos:])} (a missing comma or '#'?)", end
        pos += 1


def parse_names(value: str) -> list[Name]:
    """Split a BibTeX name list ("Last, First and First von Last and {Org}") into names, by BibTeX's rules
    (bibtexparser's implementation): "von" particles, "Jr" parts and braced organisation names."""
    names = []
    for piece in split_multiple_persons_names(value):
        piece = piece.strip()
        if piece.lower() == "others":
            names.append(Name("others", literal=True))
        elif piece.startswith("{") and piece.endswith("}") and _balanced(piece[1:-1]):
            names.append(Name(to_unicode(piece[1:-1]), literal=True))
        else:
            parts = _plain_name_parts(piece) or parse_single_name_into_parts(piece, strict=False)
            first, von, last, jr = (to_unicode(" ".join(p)) for p in (parts.first, parts.von, parts.last, parts.jr))
            names.append(Name(last, first, von=von, jr=jr))
    return names


def _capitalised(words: list[str]) -> bool:
    return all(w[0].isalpha() and w[0].isupper() and "-" not in w for w in words)


def _plain_name_parts(piece: str) -> NameParts | None:
    """The parts of a name with nothing for BibTeX's rules to decide ("Doe, Jane Q.", "Van Dyke, John", "Jane Doe":
    no braces, commands, ties or particles), as bibtexparser gives them and much faster; None for any other name."""
    if any(c in piece for c in "{}\\~") or piece.count(",") > 1:
        return None
    before, comma, after = piece.partition(",")
    if comma:
        last = before.split()
        return NameParts(after.split(), [], last, []) if last and (len(last) == 1 or _capitalised(last)) else None
    words = piece.split()
    return NameParts(words[:-1], [], words[-1:], []) if words and _capitalised(words) else None


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _check_url(value: str) -> str | None:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"field 'url' is not an http(s) address: {excerpt(value)}"
    if re.search(r"[\s\"'<>\\]", value.strip()) or not value.strip().isprintable():
        return f"field 'url' holds characters an address cannot have: {excerpt(value)}"
    return None


def normalise_doi(value: str) -> str:
    value = value.strip()
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value


def _plain(name: str, value: str, unknown: list[str]) -> str:
    if name in _VERBATIM:
        return re.sub(r"\\([_%&#$])", r"\1", value).replace("{", "").replace("}", "").strip()
    return to_unicode(value, unknown)


def _validate(entry: Entry, path: str, unread: set[str] = frozenset()) -> list[Problem]:
    """Problems of a read entry: its key, type, required fields and the shape of each field it has (but the `unread`)."""
    problems = []

    def report(message: str, name: str | None = None) -> None:
        problems.append(Problem(path, entry.field_lines.get(name, entry.line) if name else entry.line, None, f"entry '{entry.key}': {message}"))

    name = page_name(entry.key)
    hidden = next((c for c in entry.key if unicodedata.category(c)[0] in "CZ"), None)  # controls, format marks, spaces
    if hidden is not None:
        report(f"key holds an invisible or control character (U+{ord(hidden):04X}); type the key again (e.g. yang2018ketamine)")
    elif not name:
        report("key has no letter or digit to name its study page (e.g. yang2018ketamine)")
    elif len(name.encode()) > MAX_KEY_LENGTH:
        size = f"{len(entry.key)} characters long" + ("" if name.isascii() else f" ({len(name.encode())} bytes as a file name)")
        report(f"key is {size}; a study page's file name takes at most {MAX_KEY_LENGTH} (e.g. yang2018ketamine)")
    if entry.type not in REQUIRED:
        guess = get_close_matches(entry.type, list(REQUIRED), n=1)
        hint = f" (did you mean '@{guess[0]}'?)" if guess else ""
        report(f"unknown entry type '@{entry.type}'{hint}")
    else:
        for options in REQUIRED[entry.type]:
            if not any(entry.fields.get(o) or o in unread for o in options):
                report(f"missing required field '{' or '.join(options)}' for @{entry.type}")
    fields = {name: value for name, value in entry.fields.items() if name not in unread}

    def wrong(name: str, what: str) -> None:
        report(f"field '{name}' is not {what}: {excerpt(fields[name])}", name)

    if "doi" in fields:
        doi = entry.fields["doi"] = normalise_doi(fields["doi"])
        if doi and doi[-1] in DOI_TRAILING and DOI_RE.fullmatch(doi[:-1]):
            report(f"field 'doi' ends in '{doi[-1]}' (pasted with the sentence's punctuation?); write {excerpt(doi.rstrip(DOI_TRAILING))}", "doi")
        elif not DOI_RE.fullmatch(doi):
            wrong("doi", "a DOI")
    if "pmid" in fields and not PMID_RE.fullmatch(fields["pmid"]):
        wrong("pmid", "a PubMed ID (digits 0-9 only)")
    if "pmcid" in fields:
        entry.fields["pmcid"] = fields["pmcid"].upper()
        if not PMCID_RE.fullmatch(entry.fields["pmcid"]):
            wrong("pmcid", "a PubMed Central ID (PMC and digits 0-9)")
    if "url" in fields:
        if (error := _check_url(fields["url"])) is not None:
            report(error, "url")
        entry.fields["url"] = fields["url"].strip()
    if "year" in fields and not YEAR_RE.fullmatch(fields["year"]):
        wrong("year", "a four-digit year")
    if "date" in fields and not _is_date(fields["date"]):
        wrong("date", "an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if "month" in fields and month_number(fields["month"]) is None:
        wrong("month", "a month (1-12, jan-dec or its name)")
    if fields.get("studytype") and fields["studytype"] not in STUDY_TYPES:
        report(f"field 'studytype' is {excerpt(fields['studytype'])}, not one of: {', '.join(STUDY_TYPES)}", "studytype")
    if "background" in fields and fields["background"].lower() not in ("true", "false", "yes", "no"):
        report("field 'background' must be true or false", "background")
    return problems


def load_library(data: bytes | str, path: str = "references.bib") -> tuple[Library, list[Problem]]:
    """Parse and check a library; returns the good entries and every problem found."""
    text, problems = decode(data, path)
    scan = _scan_blocks(text, path)
    problems += scan.problems

    parser_logger = logging.getLogger("bibtexparser")
    level = parser_logger.level
    parser_logger.setLevel(logging.CRITICAL)  # its messages lack our file name; ours replace them
    try:
        protect = _KEY_EQUALS not in text
        parsed = bibtexparser.parse_string(_KEY_WITH_EQUALS_RE.sub(lambda m: m[1] + m[2].replace("=", _KEY_EQUALS), text) if protect else text)
    finally:
        parser_logger.setLevel(level)
    for block in parsed.blocks:
        if isinstance(block, model.Entry) and _KEY_EQUALS in block.key:
            block.key = block.key.replace(_KEY_EQUALS, "=")

    library = Library(path)
    macros: dict[str, str] = {}
    seen_lines: set[int] = set()
    first_line: dict[str, int] = {}
    for block in parsed.blocks:
        line = (block.start_line or 0) + 1
        if not isinstance(block, model.ImplicitComment):  # text bibtexparser skips, as BibTeX does
            seen_lines.add(line)
        if isinstance(block, model.String):
            macros[block.key.lower()] = block.value
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            problems.append(Problem(path, line, None, f"duplicate key '{block.key}' (first defined on line {first_line.get(block.key.lower(), '?')})"))
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
            names = [f.key.lower() for f in inner.fields]
            for name in sorted({n for n in names if names.count(n) > 1}):
                where = [f.start_line + 1 for f in inner.fields if f.key.lower() == name]
                problems.append(Problem(path, where[-1], None, f"entry '{inner.key}': duplicate field '{name}' (also on line {where[0]})"))
        elif isinstance(block, model.ParsingFailedBlock):
            if line not in scan.unclosed:
                reason = getattr(block.error, "abort_reason", None) or str(block.error).strip() or "syntax error"
                problems.append(Problem(path, line, None, f"block could not be read, so it would be lost: {reason}"))
        elif isinstance(block, model.Entry) and line not in scan.commented:
            lower = block.key.lower()
            if lower in first_line:
                problems.append(Problem(path, line, None, f"duplicate key '{block.key}' (first defined on line {first_line[lower]})"))
                continue
            first_line[lower] = line
            entry, entry_problems, unread = _read_entry(block, line, macros, path)
            problems += entry_problems
            if line not in scan.cut:  # what is left of an entry cut short is not worth more messages
                problems += _validate(entry, path, unread)
            library.entries[entry.key] = entry

    pages: dict[str, Entry] = {}
    for entry in library.entries.values():
        name = page_name(entry.key)
        if name and (other := pages.setdefault(name.casefold(), entry)) is not entry:
            problems.append(Problem(path, entry.line, None, f"entry '{entry.key}': its study page would be studies/{name}/, "
                                    f"the page of entry '{other.key}' (line {other.line}); rename one of the keys"))
    for line, kind, key in scan.blocks:
        if line not in seen_lines and line not in scan.unclosed:
            what = f"entry '{key}'" if key else f"@{kind} block"
            problems.append(Problem(path, line, None, f"{what} would be dropped: its start is malformed (expected '@type{{key,')"))
    return library, sorted(set(problems))


def _read_entry(block: model.Entry, line: int, macros: dict[str, str], path: str) -> tuple[Entry, list[Problem], set[str]]:
    """The entry with its values resolved and turned into Unicode, the problems of its fields, and the names of
    the fields that could not be read (which are then not checked further)."""
    entry, problems, unread = Entry(block.key, block.entry_type.lower(), line), [], set()
    for fld in block.fields:
        name = fld.key.lower()
        value = fld.value if isinstance(fld.value, str) else str(fld.value)
        if not FIELD_NAME_RE.fullmatch(name):
            why = ("BibTeX has no comments inside an entry, so a '%' line there is read as part of it; delete the line"
                   if name.lstrip().startswith("%") else "a missing comma or '=' before it?")
            problems.append(Problem(path, fld.start_line + 1 - fld.key.count("\n"), None,
                                    f"entry '{block.key}': '{excerpt(fld.key, quoted=False)}' is not a field name: {why}"))
            if (last := re.search(r"([A-Za-z][\w:.+-]*)\s*$", name)) is not None:
                unread.add(last[1])  # the field the bad name ends in is there, if unreadable
            continue
        if getattr(fld, "enclosing", None) == "no-enclosing":
            value, error, at = _resolve(value, macros)
            if error:
                where = fld.start_line + 1 + fld.value[:at].count("\n")
                problems.append(Problem(path, where, None, f"entry '{block.key}': field '{name}': {error}"))
                unread.add(name)
        entry.latex[name] = value
        unknown: list[str] = []
        entry.fields[name] = _plain(name, value, unknown)
        entry.field_lines[name] = fld.start_line + 1
        for command in dict.fromkeys(unknown):
            where = fld.start_line + 1 + value[: max(value.find("\\" + command), 0)].count("\n")
            problems.append(Problem(path, where, None, f"entry '{block.key}': field '{name}': unknown LaTeX command "
                                    f"\\{command} (its argument's text is kept; write the character itself)", warning=True))
    return entry, problems, unread


def to_bibtex(entry: Entry, exclude: tuple[str, ...] = ()) -> str:
    """The entry written back as BibTeX, with macros and concatenation resolved."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name, value in entry.latex.items():
        if name in exclude:
            continue
        if name == "doi":
            value = entry.fields["doi"]
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)
