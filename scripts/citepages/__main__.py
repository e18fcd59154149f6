"""Command line: `citepages check` runs every check of the build; `citepages build` writes the study pages."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .pages import Files, Project, site_sources
from .plugins import Plugins
from .problems import annotate
from .site import analyse_site, generated_pages, read_docs


def _load(args) -> tuple:
    # Paths default to the project's (the nearest mkdocs.yml at or above here, or --config), wherever this runs.
    project = Project.find(config=Path(args.config) if args.config else None)
    bib = Path(args.bib) if args.bib else project.bibliography
    docs = Path(args.docs) if args.docs else project.docs
    args.bib, args.docs = (args.bib or os.path.relpath(bib)), (args.docs or os.path.relpath(docs))
    for path, kind in ((bib, "file"), (docs, "folder")):
        if not (path.is_file() if kind == "file" else path.is_dir()):
            print(f"citepages: no such {kind}: {path}", file=sys.stderr)
            sys.exit(2)
    site = analyse_site(bib.read_bytes(), read_docs(docs), args.bib, args.docs.rstrip("/"), Plugins(project.plugins), Files(project.root))
    for problem in site.problems:
        print(problem, file=sys.stderr if not problem.warning else sys.stdout)
        annotate(problem)
    return site


def check(args) -> int:
    site = _load(args)
    if site.errors:
        return 1
    print(f"citepages: {len(site.library.entries)} entries, {len(site.docs)} pages, no errors")
    return 0


def build(args) -> int:
    site = _load(args)
    if site.errors:
        print("citepages: nothing written", file=sys.stderr)
        return 1
    out = Path(args.out).resolve()
    if out == Path(args.docs).resolve() or Path(args.docs).resolve() in out.parents:
        print("citepages: --out must not be inside the docs folder", file=sys.stderr)
        return 2
    source = args.source_url or "references.bib"
    if args.site:
        project = Project.find(config=Path(args.config) if args.config else None)
        pages = site_sources(project, site, lambda line: f"{source}#L{line}")
    else:
        pages = generated_pages(site, lambda line: f"{source}#L{line}")
    # Write everything beside the target, then swap it in: a reader never sees half a set.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    for path, content in pages.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(staging, out)
    if old:
        shutil.rmtree(old)
    print(f"citepages: wrote {len(pages)} pages to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="citepages", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func, text in (("check", check, "run every check the build makes"), ("build", build, "write the study pages as Markdown")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--config", help="the project's mkdocs.yml (default: the nearest one at or above this folder)")
        sub.add_argument("--bib", help="the BibTeX library (default: the option 'bibliography' of citepages.markdown in the config)")
        sub.add_argument("--docs", help="the folder of Markdown pages (default: docs beside the config)")
        sub.set_defaults(func=func)
        if name == "build":
            sub.add_argument("--out", required=True, help="folder to write the pages to (replaced whole)")
            sub.add_argument("--source-url", help="address of the .bib file, for the 'generated from' link")
            sub.add_argument("--site", action="store_true",
                             help="write the whole site's sources for a generator without hooks (Zensical): docs/ and a mkdocs.yml that builds into site/")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
