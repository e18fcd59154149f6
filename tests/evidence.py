"""The analysis this site's build makes: the citation engine with the evidence layer (factcheck) plugged in."""

from __future__ import annotations

from citepages.plugins import Plugins
from citepages.site import Site, analyse_site


def analyse(bib: bytes, pages: dict[str, str], essay: bytes | str | None = None, **options) -> Site:
    """`analyse_site` with the plug-in the site's config names, given `essay` as the contents of essay.yml (None: no such file)."""
    sources = {} if essay is None else {"essay.yml": essay.encode() if isinstance(essay, str) else essay}
    return analyse_site(bib, pages, plugins=Plugins(("factcheck",)), sources=sources, **options)
