"""citepages.mkdocs_pages.Later: study pages and generated files made in the background, written away as they are
made, and read back from the build's temporary folder, which goes when the build ends."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from citepages.mkdocs_pages import Later

MADE = {"downloads/a.ris": "TY  - JOUR\nTI  - é\n", "assets/cards/a.jpg": b"\xff\xd8\xff\x00"}


def _studies():
    for key in ("a", "b"):
        yield f"studies/{key}.md", SimpleNamespace(html=f"<h1>{key}</h1>", pid=os.getpid()), {"title": key}


@pytest.fixture
def config(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None  # what MkDocs sets while it runs an event (on_files, here)
    return config


def _announced(later: Later, config) -> dict:
    return {path: later.file(config, path) for path in ["studies/a.md", "studies/b.md", *MADE]}


def test_what_the_work_made_is_read_back_from_its_folder(config):
    later = Later(_studies, lambda: iter(MADE.items()))
    files = _announced(later, config)
    studies = later.result()
    assert {path: s.html for path, s in studies.items()} == {"studies/a.md": "<h1>a</h1>", "studies/b.md": "<h1>b</h1>"}
    assert studies["studies/a.md"].pid != os.getpid()  # made in the child
    assert later.meta("studies/b.md") == {"title": "b"}
    assert files["studies/a.md"].content_string == "<h1>a</h1>"
    for path, content in MADE.items():  # not held in memory: MkDocs copies them from the folder
        assert files[path]._content is None and files[path].abs_src_path.startswith(str(later.folder))
        assert files[path].content_bytes == (content.encode() if isinstance(content, str) else content)
    later.close()
    assert not later.folder.exists()


def test_the_folder_goes_when_the_work_is_cancelled(config):
    later = Later(_studies, lambda: iter(MADE.items()))
    later.cancel()
    assert not later.folder.exists()


def test_a_file_made_but_not_announced_fails_the_build(config):
    later = Later(_studies, lambda: iter({**MADE, "extra.txt": "x"}.items()))
    _announced(later, config)
    with pytest.raises(PluginError, match="differ from those announced: \\['extra.txt'\\]"):
        later.result()
    later.close()
