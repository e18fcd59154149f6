"""Problems found in the sources, each pointing at a file, a line and (where known) a column."""

from __future__ import annotations

import os
from dataclasses import dataclass


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
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


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
    where = f"file={_escape(problem.path, True)},line={problem.line}" + (f",col={problem.col}" if problem.col else "")
    return f"::{'warning' if problem.warning else 'error'} {where}::{_escape(problem.message)}"


def annotate(problem: Problem) -> None:
    """On GitHub Actions, also write the problem as a workflow annotation (as ruff's --output-format=github)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(annotation(problem), flush=True)
