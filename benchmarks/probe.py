"""In-process measurements for the benchmark, run in the project's virtualenv by bench.py.

    probe.py bib FILE                   time to parse and check a .bib file alone (JSON on stdout)
    probe.py count CONFIG SITE_DIR      one `mkdocs build --strict`, counting how often the bibliography is parsed
    probe.py profile CONFIG SITE_DIR    one build under cProfile; the top functions on stdout
"""

from __future__ import annotations

import cProfile
import functools
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def bib(path: str) -> dict:
    import bibtexparser

    from citepages.bib import load_library

    data = Path(path).read_bytes()
    start = time.perf_counter()
    library, problems = load_library(data, path)
    total = time.perf_counter() - start
    start = time.perf_counter()
    bibtexparser.parse_string(data.decode("utf-8"))
    tokenise = time.perf_counter() - start
    return {"entries": len(library.entries), "problems": len(problems), "load_library_s": total, "bibtexparser_s": tokenise}


def _build(config: str, site_dir: str) -> int:
    from mkdocs.__main__ import cli

    try:
        cli.main(["build", "--strict", "--quiet", "--config-file", config, "--site-dir", site_dir], standalone_mode=False)
    except SystemExit as exit:
        return int(exit.code or 0)
    except Exception as error:  # a BuildError or Abort: report it, do not hide it
        print(f"probe: build failed: {error!r}", file=sys.stderr)
        return 1
    return 0


def count(config: str, site_dir: str) -> dict:
    """Wrap every way the bibliography can be read, then build once."""
    import bibtexparser

    import citepages.bib
    import citepages.site

    calls: dict[str, int] = {}

    def counted(name, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return func(*args, **kwargs)

        return wrapper

    citepages.site.load_library = counted("citepages load_library", citepages.site.load_library)
    citepages.bib.load_library = counted("citepages load_library", citepages.bib.load_library)
    citepages.site.analyse_site = counted("citepages analyse_site", citepages.site.analyse_site)
    for name in ("parse_string", "parse_file"):
        setattr(bibtexparser, name, counted(f"bibtexparser.{name}", getattr(bibtexparser, name)))
    status = _build(config, site_dir)
    pages = sum(1 for _ in Path(site_dir).rglob("index.html"))
    return {"status": status, "pages_written": pages, "calls": calls}


def profile(config: str, site_dir: str, limit: int = 60) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    status = _build(config, site_dir)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("cumulative").print_stats("citepages|factcheck|hooks.py", limit)
    stats.sort_stats("tottime").print_stats(limit // 2)
    return f"build exit status {status}\n" + out.getvalue()


def main(argv: list[str]) -> int:
    if argv[:1] == ["bib"] and len(argv) == 2:
        print(json.dumps(bib(argv[1])))
    elif argv[:1] == ["count"] and len(argv) == 3:
        print(json.dumps(count(argv[1], argv[2])))
    elif argv[:1] == ["profile"] and len(argv) == 3:
        print(profile(argv[1], argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
