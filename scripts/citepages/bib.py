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
from dataclasses import dataclass, field
from functools import cached_property
from difflib import get_close_matches
from urllib.parse import urlsplit

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import NameParts, parse_single_name_into_parts, split_multiple_persons_names

from .latex import to_unicode
from .problems import Problem

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

MAX_KEY_LENGTH = 100  # the key names a study page's file and folder: far below any file system's limit (255 bytes)
KEY_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>\\{}]+")
PMID_RE = re.compile(r"[1-9]\d{0,8}")
PMCID_RE = re.compile(r"PMC\d{1,9}")
YEAR_RE = re.compile(r"\d{4}")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/.*)?")
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
        lower = key.lower()
        author = re.match(r"[a-z]+", lower)
        same_author = [k for k in self.entries if author and re.match(r"[a-z]+", k.lower())[0] == author[0]] if author else []
        pool = same_author or list(self.entries)
        close = get_close_matches(lower, [k.lower() for k in pool], n=1, cutoff=0.4 if same_author else 0.75)
        return next((k for k in pool if k.lower() == close[0]), None) if close else None


def month_number(value: str) -> int | None:
    """1-12 for a BibTeX month ("7", "jul", "July"), else None."""
    value = value.strip().lower().rstrip(".")
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return MONTHS.index(value[:3]) + 1 if value in _MONTH_NAMES else None


def _is_date(value: str) -> bool:
    """An ISO date (or the start of a range) that exists: not 2019-02-30."""
    match = DATE_RE.fullmatch(value)
    try:
        return bool(match) and bool(dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1)))
    except ValueError:
        return False


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """UTF-8 text (byte-order mark dropped, CRLF made LF); each undecodable line is reported."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                bad = raw[error.start : error.start + 1].hex()
                problems.append(Problem(path, number, error.start + 1, f"bytes that are not UTF-8 (0x{bad}); save the file as UTF-8"))
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def _scan_blocks(text: str, path: str) -> tuple[list[tuple[int, str, str]], list[Problem]]:
    """Every block start BibTeX would see, as (line, type, key), and blocks never closed."""
    blocks, problems = [], []
    pos, line, counted = 0, 1, 0
    while (match := _BLOCK_START_RE.search(text, pos)) is not None:
        line += text.count("\n", counted, match.start())  # counted on from the last block: linear in the file
        counted = match.start()
        kind, opener = match[1].lower(), match[2]
        closer = "}" if opener == "{" else ")"
        key = re.match(r"\s*([^,\s{}()=]*)", text[match.end() : match.end() + 200])[1]
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
        blocks.append((line, kind, key))
        if end is None:
            what = f"entry '{key}'" if key and kind not in ("comment", "preamble", "string") else f"@{kind} block"
            problems.append(Problem(path, line, None, f"{what}: unbalanced braces, the block is never closed"))
            end = match.end()
        pos = end
    return blocks, problems


def _split_concatenation(raw: str) -> list[str]:
    parts, depth, quoted, current = [], 0, False, ""
    for char in raw:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        if char == "#" and depth == 0 and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def _resolve(raw: str, macros: dict[str, str]) -> tuple[str, str | None]:
    """The value of a `#` expression of literals and macros, or an error message."""
    out = []
    for part in _split_concatenation(raw):
        if len(part) >= 2 and ((part[0], part[-1]) in (("{", "}"), ('"', '"'))):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in macros:
            out.append(macros[part.lower()])
        elif part.lower() in MONTHS:
            out.append(str(MONTHS.index(part.lower()) + 1))
        else:
            return "", f"undefined @string macro '{part}'" if part else "empty part in a '#' concatenation"
    return "".join(out), None


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
        return f"field 'url' is not an http(s) address: '{value}'"
    if re.search(r"[\s\"'<>\\]", value.strip()):
        return f"field 'url' holds characters an address cannot have: '{value}'"
    return None


def normalise_doi(value: str) -> str:
    value = value.strip()
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value


def _plain(name: str, value: str, unknown: list[str]) -> str:
    if name in _VERBATIM:
        return re.sub(r"\\([_%&#$])", r"\1", value).replace("{", "").replace("}", "").strip()
    return to_unicode(value, unknown)


def _validate(entry: Entry, path: str) -> list[Problem]:
    problems = []

    def report(message: str, name: str | None = None) -> None:
        problems.append(Problem(path, entry.field_lines.get(name, entry.line) if name else entry.line, None, f"entry '{entry.key}': {message}"))

    if not KEY_RE.fullmatch(entry.key) or ".." in entry.key:
        report("key cannot make a safe address (use letters, digits, '-', '_' and '.'; e.g. yang2018ketamine)")
    elif len(entry.key) > MAX_KEY_LENGTH:
        report(f"key is {len(entry.key)} characters long; a study page's file name takes at most {MAX_KEY_LENGTH} (e.g. yang2018ketamine)")
    if entry.type not in REQUIRED:
        guess = get_close_matches(entry.type, list(REQUIRED), n=1)
        hint = f" (did you mean '@{guess[0]}'?)" if guess else ""
        report(f"unknown entry type '@{entry.type}'{hint}")
    else:
        for options in REQUIRED[entry.type]:
            if not any(entry.fields.get(o) for o in options):
                report(f"missing required field '{' or '.join(options)}' for @{entry.type}")
    if "doi" in entry.fields:
        doi = normalise_doi(entry.fields["doi"])
        if not DOI_RE.fullmatch(doi):
            report(f"field 'doi' is not a DOI: '{entry.fields['doi']}'", "doi")
        entry.fields["doi"] = doi
    if "pmid" in entry.fields and not PMID_RE.fullmatch(entry.fields["pmid"]):
        report(f"field 'pmid' is not a PubMed ID (digits only): '{entry.fields['pmid']}'", "pmid")
    if "pmcid" in entry.fields:
        pmcid = entry.fields["pmcid"].upper()
        if not PMCID_RE.fullmatch(pmcid):
            report(f"field 'pmcid' is not a PubMed Central ID (PMC and digits): '{entry.fields['pmcid']}'", "pmcid")
        entry.fields["pmcid"] = pmcid
    if "url" in entry.fields:
        if (error := _check_url(entry.fields["url"])) is not None:
            report(error, "url")
        entry.fields["url"] = entry.fields["url"].strip()
    if "year" in entry.fields and not YEAR_RE.fullmatch(entry.fields["year"]):
        report(f"field 'year' is not a four-digit year: '{entry.fields['year']}'", "year")
    if "date" in entry.fields and not _is_date(entry.fields["date"]):
        report(f"field 'date' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): '{entry.fields['date']}'", "date")
    if "month" in entry.fields and month_number(entry.fields["month"]) is None:
        report(f"field 'month' is not a month (1-12, jan-dec or its name): '{entry.fields['month']}'", "month")
    if entry.studytype and entry.studytype not in STUDY_TYPES:
        report(f"field 'studytype' is '{entry.studytype}', not one of: {', '.join(STUDY_TYPES)}", "studytype")
    if "background" in entry.fields and entry.fields["background"].lower() not in ("true", "false", "yes", "no"):
        report("field 'background' must be true or false", "background")
    return problems


def load_library(data: bytes | str, path: str = "references.bib") -> tuple[Library, list[Problem]]:
    """Parse and check a library; returns the good entries and every problem found."""
    if isinstance(data, bytes):
        text, problems = decode(data, path)
    else:
        text, problems = data.lstrip("\ufeff").replace("\r\n", "\n"), []
    scanned, scan_problems = _scan_blocks(text, path)
    problems += scan_problems
    unclosed = {p.line for p in scan_problems}

    parser_logger = logging.getLogger("bibtexparser")
    level = parser_logger.level
    parser_logger.setLevel(logging.CRITICAL)  # its messages lack our file name; ours replace them
    try:
        parsed = bibtexparser.parse_string(text)
    finally:
        parser_logger.setLevel(level)

    library = Library(path)
    macros: dict[str, str] = {}
    seen_lines: set[int] = set()
    first_line: dict[str, int] = {}
    for block in parsed.blocks:
        line = (block.start_line or 0) + 1
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
            if line not in unclosed:
                reason = getattr(block.error, "abort_reason", None) or str(block.error).strip() or "syntax error"
                problems.append(Problem(path, line, None, f"block could not be read, so it would be lost: {reason}"))
        elif isinstance(block, model.Entry):
            lower = block.key.lower()
            if lower in first_line:
                problems.append(Problem(path, line, None, f"duplicate key '{block.key}' (first defined on line {first_line[lower]})"))
                continue
            first_line[lower] = line
            entry = Entry(block.key, block.entry_type.lower(), line)
            for fld in block.fields:
                name = fld.key.lower()
                value = fld.value if isinstance(fld.value, str) else str(fld.value)
                if getattr(fld, "enclosing", None) == "no-enclosing":
                    value, error = _resolve(value, macros)
                    if error:
                        problems.append(Problem(path, fld.start_line + 1, None, f"entry '{block.key}': field '{name}': {error}"))
                entry.latex[name] = value
                unknown: list[str] = []
                entry.fields[name] = _plain(name, value, unknown)
                entry.field_lines[name] = fld.start_line + 1
                for command in dict.fromkeys(unknown):
                    where = fld.start_line + 1 + value[: max(value.find("\\" + command), 0)].count("\n")
                    problems.append(Problem(path, where, None, f"entry '{block.key}': field '{name}': unknown LaTeX command "
                                            f"\\{command} (its argument's text is kept; write the character itself)", warning=True))
            problems += _validate(entry, path)
            library.entries[entry.key] = entry

    for line, kind, key in scanned:
        if line not in seen_lines and line not in unclosed:
            what = f"entry '{key}'" if key else f"@{kind} block"
            problems.append(Problem(path, line, None, f"{what} would be dropped: its start is malformed (expected '@type{{key,')"))
    return library, sorted(set(problems))


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
