"""Command line: `citepages check` runs every check of the build; `citepages build` writes the study pages."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .pages import CONFIG, Project, Sources, site_sources
from .plugins import Plugins
from .problems import annotate
from .site import analyse_site, generated_pages, hand_files, read_docs


MARKER = ".citepages-build"  # left in every folder `citepages build` writes: the only kind of folder it replaces


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
    args.sources = {"the docs folder": docs, "the bibliography": bib, "the config": project.root / CONFIG}
    args.project = project
    site = analyse_site(bib.read_bytes(), read_docs(docs), args.bib, args.docs.rstrip("/"), Plugins(project.plugins), Sources(project.root),
                        hand_files(docs))
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


def _refusal(out: Path, given: str, sources: dict[str, Path]) -> str | None:
    """Why the folder `out` (`given` on the command line) must not be replaced: it holds, is or is inside a source,
    or citepages did not write it."""
    for name, source in sources.items():
        if out == source.resolve() or out in source.resolve().parents:
            return f"--out {given} {'is' if out == source.resolve() else 'holds'} {name} ({os.path.relpath(source)}): give a folder of its own"
    if sources["the docs folder"].resolve() in out.parents:
        return f"--out {given} is inside the docs folder: a build never writes there"
    if out.exists() and not (out / MARKER).is_file() and (not out.is_dir() or any(out.iterdir())):
        return f"--out {given} was not written by citepages build (it has no {MARKER} file): remove it or give another folder"
    return None


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def build(args) -> int:
    site = _load(args)
    if site.errors:
        print("citepages: nothing written", file=sys.stderr)
        return 1
    out = Path(args.out).resolve()
    if refusal := _refusal(out, args.out, args.sources):
        print(f"citepages: {refusal}; nothing written", file=sys.stderr)
        return 2
    source = args.source_url or args.project.bib_label
    if args.site:
        pages = site_sources(args.project, site, lambda line: f"{source}#L{line}")
    else:
        pages = generated_pages(site, lambda line: f"{source}#L{line}")
    # Write everything beside the target, then swap it in: a reader never sees half a set, and a failure leaves
    # the folder as it was. The staging folder goes whatever happens.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    new, old = staging / "new", staging / "old"
    try:
        _write(new, {**pages, MARKER: "Written by `citepages build`, which replaces this folder whole on its next run.\n"})
        if out.exists():
            os.replace(out, old)
        os.replace(new, out)
    except OSError as error:
        if old.exists() and not out.exists():
            os.replace(old, out)
        print(f"citepages: cannot write {error.filename or args.out}: {error.strerror}; nothing written", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
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
            sub.add_argument("--out", required=True, help="folder to write the pages to: a new or empty one, or one citepages build wrote (replaced whole)")
            sub.add_argument("--source-url", help="address of the .bib file, for the 'generated from' link")
            sub.add_argument("--site", action="store_true",
                             help="write the whole site's sources for a generator without hooks (Zensical): docs/ and a mkdocs.yml that builds into site/")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
