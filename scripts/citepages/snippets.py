"""Snippets (pymdownx.snippets, `--8<-- "file"`) that a page includes but that cannot be read, as located
problems before the build, where Python-Markdown would stop the build with an exception and no line.

The pages are read by pymdownx's own preprocessor, so a snippet is missing here exactly when it is missing there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor

from .citations import Document
from .problems import Problem, excerpt


class _Finder(SnippetPreprocessor):
    """pymdownx's snippet reader, noting each snippet it cannot find instead of stopping."""

    def __init__(self, options: dict):
        super().__init__({**SnippetExtension().getConfigs(), **options, "check_paths": False, "auto_append": []}, markdown.Markdown())
        self.missing: list[str] = []

    def get_snippet_path(self, path):
        found = super().get_snippet_path(path)
        if found is None and not path.lower().startswith(("http://", "https://")):
            self.missing.append(path)
        return found


def missing_snippets(docs: Iterable[Document], options: dict, root: Path, config_label: str = "mkdocs.yml") -> list[Problem]:
    """A problem for each snippet a page (or a snippet it includes) names that cannot be read, at the line that
    names it; and for each `auto_append` file that does not exist, in the config. `options` are the extension's,
    with its `base_path` relative to `root`."""
    options = {**options, "base_path": [str(root / base) for base in (options.get("base_path") or ["."])]}
    finder = _Finder(options)
    looked = ", ".join(os.path.relpath(base, root) for base in finder.base_path)
    problems = []
    for name in options.get("auto_append") or []:
        if finder.get_snippet_path(name) is None:
            problems.append(Problem(config_label, 1, None, f"pymdownx.snippets: auto_append file '{excerpt(name, quoted=False)}' "
                                    f"does not exist (looked in: {looked})"))
    for doc in docs:
        if "8<-" not in doc.text:
            continue
        finder.missing = []
        lines = doc.text.split("\n")
        try:
            finder.run(list(lines))
        except (SnippetMissingError, OSError, UnicodeDecodeError) as error:
            problems.append(Problem(doc.path, doc.line_offset + 1, None, f"a snippet could not be read: {excerpt(str(error))}"))
        for path in dict.fromkeys(finder.missing):
            line = next((i for i, text in enumerate(lines, start=1) if ("8<-" in text and path in text) or text.strip() == path), 1)
            problems.append(Problem(doc.path, doc.line_offset + line, None,
                                    f"snippet '{excerpt(path, quoted=False)}' does not exist (looked in: {looked})"))
    return problems
