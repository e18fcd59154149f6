"""Rendered output against readable golden files (run pytest with --update-goldens to rewrite them)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from citepages.bib import load_library
from citepages.citations import analyse
from citepages.render import Backlink, render_index, render_page, render_study, study_page

GOLDENS = Path(__file__).parent / "goldens"


def compare(path: Path, actual: str, update: bool) -> None:
    """`actual` must equal the golden file; only --update-goldens writes one (a missing file fails)."""
    if update:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run pytest with --update-goldens to write it, then review it"
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; review and run with --update-goldens"


def library_of(case: str):
    library, problems = load_library((GOLDENS / case / "input.bib").read_bytes())
    assert problems == []
    return library


@pytest.mark.parametrize("case", ["article", "regulatory"])
def test_study_page(case, update_goldens):
    library = library_of(case)
    backlink = Backlink("claims/example.md", "what-the-evidence-shows", "An example claim", "What the evidence shows")
    for key, entry in library.entries.items():
        source = f"https://example.org/references.bib#L{entry.line}"
        compare(GOLDENS / case / f"{key}.expected.md", render_study(entry, [backlink], source), update_goldens)
        compare(GOLDENS / case / f"{key}.expected.html", study_page(entry, [backlink], source).html, update_goldens)
    compare(GOLDENS / case / "index.expected.md", render_index(library, {}), update_goldens)


def test_a_missing_golden_file_fails_unless_asked_to_write_it(tmp_path):
    missing = tmp_path / "new.expected.md"
    with pytest.raises(AssertionError, match="is missing"):
        compare(missing, "text", update=False)
    assert not missing.exists(), "a failing run writes nothing"
    compare(missing, "text", update=True)
    assert missing.read_text() == "text"
    with pytest.raises(AssertionError, match="differs"):
        compare(missing, "other", update=False)


def test_citations_and_reference_list(update_goldens):
    library = library_of("citations")
    body = (GOLDENS / "citations" / "page.md").read_text()
    doc = analyse("docs/claims/example.md", body)
    text, order = render_page(body, doc.groups, library, lambda key: f"../../studies/{key}/")
    assert order == ["yang2018ketamine"]
    compare(GOLDENS / "citations" / "page.expected.md", text, update_goldens)


def test_stashed_citations_come_back_whole():
    from citepages.render import unstash

    library = library_of("citations")
    body = (GOLDENS / "citations" / "page.md").read_text()
    doc = analyse("docs/claims/example.md", body)
    href = lambda key: f"../../studies/{key}/"  # noqa: E731
    direct, _ = render_page(body, doc.groups, library, href)
    stash: list[str] = []
    tokens, _ = render_page(body, doc.groups, library, href, stash)
    assert len(stash) == 3 and "<span" not in tokens and "<ol" not in tokens  # two citations and the References list
    assert unstash(tokens, stash) == direct
    # The converter wraps the list's token in a paragraph; the list comes back without it.
    references = stash[2][0]
    assert unstash("<p>citepagesstash2x</p>", stash) == references and references.startswith('<ol class="references">')
    # What search reads: each citation as the reader sees it, without its preview, and nothing of the list.
    searched = html.unescape(unstash(tokens, stash, searched=True))
    assert "mice (Yang et al. 2018), bursting stopped (see Yang et al. 2018, p. 318)." in searched
    assert "<" not in searched and "Nature" not in searched  # no preview, no list
