"""What the Python-Markdown extension learns from the generator converting a page: which page it is, and the
build's config. Each generator says it through its own converter; none is recognised by the name of a class.

- Zensical registers its rendering context on every page's converter; its own extensions find it with
  `ContextPreprocessor.from_markdown(md)`, and so does this module.
- MkDocs and ProperDocs give an extension nothing of the page, but register their link rewriter on every page's
  converter under the name `relpath`, holding the page's file and the build's config.
- Anywhere else (Python-Markdown called directly) the extension's own `page` option names the page.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from .plugins import Settings

ZENSICAL_CONTEXT = "zensical.extensions.context"  # loaded whenever Zensical converts a page


@dataclass
class Context:
    """The page being converted and the build converting it."""

    src: str  # the page's path under the docs folder
    url: str = ""  # its full address ("" when not known)
    links_from_file: bool = False  # the generator re-bases relative links in HTML from the page's file (render.LINKS_FROM_FILE)
    root_dir: str = ""  # the folder of the generator's config, as the generator gives it ("": the working folder)
    docs: Path = field(default_factory=lambda: Path.cwd() / "docs")
    config: MutableMapping = field(default_factory=dict)  # the generator's config for this build
    settings: Settings = field(default_factory=Settings)

    @property
    def root(self) -> Path:
        """The folder of the generator's config (worked out only when the extension reads the sources itself)."""
        return Path(self.root_dir).resolve()


def _settings(config) -> Settings:
    return Settings(config.get("site_name") or "", config.get("site_url") or "")


def context(md, page: str = "") -> Context:
    """The context of the conversion `md` is running; `page` is the page's path when no generator says it."""
    module = sys.modules.get(ZENSICAL_CONTEXT)
    zensical = module.ContextPreprocessor.from_markdown(md) if module is not None else None
    if zensical is not None:
        config = zensical.config
        root = Path(config["root_dir"])
        return Context(zensical.page.path, "", True, config["root_dir"], root / config["docs_dir"], config, _settings(config))
    relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None
    if relpath is not None and hasattr(relpath, "file") and hasattr(relpath, "config"):
        config, file = relpath.config, relpath.file
        base = config.get("site_url") or ""
        url = urljoin(base if base.endswith("/") else base + "/", "" if file.url in (".", "./") else file.url) if base else ""
        return Context(file.src_uri, url, False, os.path.dirname(config.config_file_path), Path(config.docs_dir), config, _settings(config))
    return Context(page)
