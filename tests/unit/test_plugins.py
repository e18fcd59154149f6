"""The plug-in interface: a site's own layer adds checks, blocks and markers to the engine from one module of its own,
and the engine alone knows nothing of this site's claims."""

from __future__ import annotations

import sys
import types

import markdown

from citepages.pages import page_markdown
from citepages.plugins import Plugins
from citepages.problems import Problem
from citepages.site import analyse_site

BIB = b"@article{doe2020sleep, author = {Doe, Jane}, title = {Sleep}, journal = {J}, year = {2020}}\n"
PAGE = "---\ntitle: Notes\nrating: 3\n---\n\n# Notes\n\nSleep [@doe2020sleep].\n\n<!-- citepages:rating -->\n\n<!-- citepages:unknown -->\n"


def extend(plugins: Plugins) -> None:
    plugins.checks.register(lambda site, sources: [Problem("notes.yml", 1, None, f"read {sources.get('notes.yml')!r}")], "notes", 10)
    plugins.blocks.register(lambda text, page: text + f"\nCited here: {', '.join(page.keys)}.\n", "cited", 10)
    plugins.markers.register(lambda page: page.store(f"<b>{page.meta['rating']} of 5</b>"), "rating", 10)


def test_a_plugin_adds_a_check_a_block_and_a_marker_from_its_own_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "notes_layer", types.SimpleNamespace(extend=extend))
    site = analyse_site(BIB, {"notes.md": PAGE}, plugins=Plugins(("notes_layer",)), sources={"notes.yml": b"x"})
    assert [str(p) for p in site.problems] == ["notes.yml:1: read b'x'"]
    stash: list[str] = []
    text = page_markdown(site, "notes.md", site.docs["notes.md"].text, lambda html: stash.append(html) or f"@@{len(stash) - 1}@@")
    assert "Cited here: doe2020sleep." in text
    assert stash[-1] == "<b>3 of 5</b>" and f"@@{len(stash) - 1}@@" in text
    assert "<!-- citepages:unknown -->" in text, "a marker no plug-in registered is left as written"
    assert text.index("## References") < text.index("Cited here"), "blocks run after the engine's citations and references"


def test_the_engine_alone_needs_nothing_of_this_sites_claims():
    claim = "---\ntitle: Is it?\nverdict: Nonsense\n---\n\n# Is it?\n\nYes [@doe2020sleep].\n"
    site = analyse_site(BIB, {"claims/x.md": claim, "index.md": "<!-- citepages:essay -->\n"})
    assert site.problems == [], "no essay.yml, no claim schema, no figures: those are the evidence layer's"
    text = page_markdown(site, "claims/x.md", site.docs["claims/x.md"].text, str)
    assert "verdict-box" not in text and "Cite this page" not in text and "## References" in text


def test_what_one_document_leaves_is_reset_before_the_next():
    site = analyse_site(BIB, {"a.md": "## Sleep [@doe2020sleep]\n"})
    md = markdown.Markdown(extensions=["toc", "citepages.markdown"], extension_configs={"citepages.markdown": {"analysis": site, "page": "a.md"}})
    md.convert("## Sleep [@doe2020sleep]\n")
    extension = next(e for e in md.registeredExtensions if hasattr(e, "stored"))
    assert extension.stored and extension.headings
    md.reset()
    assert not extension.stored and not extension.headings
    assert '<h2 id="sleep">' in md.convert("## Sleep [@doe2020sleep]\n")
