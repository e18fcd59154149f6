"""How a site's own layer plugs into the engine: the registries it extends, and what each of its functions is given.

The engine renders citations, reference lists and study pages for any site. A site that shows more (this one's
evidence layer, `factcheck`: verdict boxes, figures, search logs) names a module under the extension's `plugins`
option; the engine imports it and calls its `extend(plugins)`, which registers functions in the registries below,
the way a Python-Markdown extension registers processors in `md.preprocessors` (the same `Registry`: a name and a
priority each, highest priority first):

- `checks`: `check(site, sources)` → problems, run after the engine's own analysis; `sources.get(path)` is the bytes
  of a file of the project (its path from the project's folder) or None, and `sources.root` the project's folder
  (None when the sources are not a checkout's). A check may keep what it read in `site.extra`.
- `blocks`: `block(text, page)` → text, rewrites a page's Markdown. The engine's own are here too: `citations` (at
  priority 100, which sets `page.keys`) and `references` (50); a block goes before, between or after them.
- `markers`: `marker(page)` → Markdown, put wherever the page has `<!-- citepages:NAME -->`, NAME the name it is
  registered under. A marker no plug-in registered is left as written (an HTML comment).
- `files`: `files(site, settings)` → {path: content}, added to the files a build generates.
- `paths`: `paths(site)` → {path: what it is}, the paths of those files, known without making them (a hand-written
  file in the way of one is a problem; links to them are checked).
- `fields`: `fields(values, page)`, sets what the page template reads of a page (`values`, a dict).
- `extra`: `extra(site)` → {name: value}, added to the config's `extra` (what every template reads).
- `index`: `index(site)` → (downloads, links): each page's reference downloads as (title, BibTeX path, RIS path),
  and a line of Markdown, which the study index lists and links after the bibliography's exports.
- `search`: `search(site, src)` → {field: text}, added to the search entry of the top of the page `src`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown.util import Registry

from .render import relative_link, study_url

MARKER_RE = re.compile(r"<!-- citepages:([a-z0-9]+(?:-[a-z0-9]+)*) -->")


class Plugins:
    """The registries of one build (see the module's docstring)."""

    def __init__(self, names: tuple[str, ...] = ()):
        self.names = tuple(names)
        self.checks, self.blocks, self.markers = Registry(), Registry(), Registry()
        self.files, self.paths, self.fields, self.extra = Registry(), Registry(), Registry(), Registry()
        self.index, self.search = Registry(), Registry()
        from . import pages  # noqa: PLC0415 (pages uses this module): the engine's own blocks, registered first

        for module in (pages, *map(importlib.import_module, self.names)):
            module.extend(self)


@dataclass(frozen=True)
class Settings:
    """What a build knows of the site beyond its sources: its name and address."""

    site_name: str = ""
    site_url: str = ""


@dataclass
class Page:
    """The page a block, marker or fields function is given."""

    site: object  # citepages.site.Site: the analysed sources
    src: str  # its path under the docs folder ("studies/<key>.md" for a study page)
    url: str = ""  # its full address, "" when the generator does not say
    settings: Settings = field(default_factory=Settings)
    keys: list[str] = field(default_factory=list)  # the keys it cites, in order of first citation
    store: Callable[[str], str] = str  # finished HTML → what stands for it in the Markdown (the generator's stash)
    footnotes: bool = True  # whether the generator reads `[^1]: text` as a note (citations can go there)
    title: str = ""  # its title as plain text (for page data)
    _links: dict[str, str] = field(default_factory=dict, repr=False)  # href's, made once each

    @property
    def meta(self) -> dict:
        """Its front matter (a hand-written page's; {} for a generated one)."""
        return self.site.meta.get(self.src, {})

    def href(self, key: str) -> str:
        """The link from this page to the study page of `key`."""
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = relative_link(study_url(key), self.src)
        return link


def fill_markers(text: str, page: Page, markers: Registry) -> str:
    """The Markdown with each registered marker replaced by what its function gives for the page."""
    return MARKER_RE.sub(lambda m: markers[m[1]](page) if m[1] in markers else m[0], text)
