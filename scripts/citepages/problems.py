"""Problems found in the sources, each pointing at a file, a line and (where known) a column; and reading a
source's bytes as text, each fault in them a problem at its place.

A problem's text shows every character a terminal or a log would act on or hide (an escape sequence, a
zero-width space, a right-to-left mark, a NUL) as its escape, `\\x1b` or `\\u200b`: nothing a file holds can
rewrite the terminal it is reported on, or hide in a log.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

EXCERPT_MAX = 80  # characters of a value quoted in a message
# C0 and C1 control characters but tab and newline: no page, bibliography or data file has a use for them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """The text with each character that is not printable (controls, format characters such as zero-width
    spaces and direction marks, separators other than the space) written as its escape, as Python's repr does."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def excerpt(value, quoted: bool = True) -> str:
    """A value for a message: text in quotes (cut after EXCERPT_MAX characters), anything else as YAML would show it."""
    if isinstance(value, str):
        text = value if len(value) <= EXCERPT_MAX else value[:EXCERPT_MAX] + "…"
        return f"'{shown(text)}'" if quoted else shown(text)
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        return f"{kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= EXCERPT_MAX else text[:EXCERPT_MAX] + "…"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    col: int | None
    message: str
    warning: bool = False

    def __lt__(self, other: Problem) -> bool:
        # In file order; a problem without a column comes first on its line.
        key = lambda p: (p.path, p.line, p.col or 0, p.message, p.warning)  # noqa: E731
        return key(self) < key(other)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.col}" if self.col else "")
        return shown(f"{where}: {'warning: ' if self.warning else ''}{self.message}")


class InputError(Exception):
    """Bad input that stops a build; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the sources")
        self.problems = problems


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def annotation(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, so that a pull request shows it on its line."""
    where = f"file={_escape(shown(problem.path), True)},line={problem.line}" + (f",col={problem.col}" if problem.col else "")
    return f"::{'warning' if problem.warning else 'error'} {where}::{_escape(shown(problem.message))}"


def annotate(problem: Problem) -> None:
    """On GitHub Actions, also write the problem as a workflow annotation (as ruff's --output-format=github)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(annotation(problem), flush=True)


REPORTED_MAX = 20  # faults of one kind reported in one file: a binary file saved as a page is a few lines, not thousands


def decode(data: bytes | str, path: str) -> tuple[str, list[Problem]]:
    """A source as text (byte-order mark dropped, line ends made LF), and a problem for each line that is not
    UTF-8 and each control character (a NUL, an escape), at its line and column (the first REPORTED_MAX of
    each kind); in the text returned each is U+FFFD, so that the rest of the source can still be read and checked."""
    bad_bytes: list[Problem] = []
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            for number, raw in enumerate(data.split(b"\n"), start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    bad = raw[error.start : error.start + 1].hex()
                    bad_bytes.append(Problem(path, number, error.start + 1, f"bytes that are not UTF-8 (0x{bad}); save the file as UTF-8"))
            text = data.decode("utf-8", errors="replace")
    else:
        text = data.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls: list[Problem] = []
    if _CONTROL_RE.search(text):
        line, counted, line_start = 1, 0, 0
        for match in _CONTROL_RE.finditer(text):
            # Counted on from the last one: linear in the text.
            line += text.count("\n", counted, match.start())
            line_start = max(line_start, text.rfind("\n", counted, match.start()) + 1)
            counted = match.start()
            col = match.start() - line_start + 1
            controls.append(Problem(path, line, col, f"control character {excerpt(match[0])} (U+{ord(match[0]):04X}); delete it"))
        text = _CONTROL_RE.sub("\ufffd", text)
    return text, _capped(bad_bytes) + _capped(controls)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= REPORTED_MAX:
        return problems
    last = problems[REPORTED_MAX - 1]
    return problems[:REPORTED_MAX] + [Problem(last.path, last.line, last.col, f"and {len(problems) - REPORTED_MAX} more like it after this")]
