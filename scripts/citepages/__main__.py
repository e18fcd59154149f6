"""Command line: `citepages check` runs every check of the build; `citepages build` writes the study pages;
`citepages cites` prints the citations of Markdown files as JSON."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .bib import decode
from .citations import analyse, split_front_matter
from .config import is_strict
from .links import check_links
from .pages import CONFIG, Project, Sources, bib_source, site_sources
from .plugins import Plugins
from .problems import annotate
from .site import analyse_site, generated_pages, hand_files, read_docs

MARKER = ".citepages-build"  # left in every folder `citepages build` writes: the only kind of folder it replaces


def _files(site, docs: Path) -> set[str]:
    """Every file the build has, by path under the docs folder: the hand-written ones (but those MkDocs leaves out,
    dot-files and a top-level templates/ folder) and the generated ones."""
    written = {p for p in hand_files(docs) if not any(part.startswith(".") for part in p.split("/")) and not p.startswith("templates/")}
    return written | set(site.generated_paths())


def _load(args, with_links: bool = False) -> tuple:
    """The analysed site and the problems that fail the build, each printed (errors to stderr); `with_links`, also
    the site's navigation and links checked as the build checks them (which the build itself leaves to MkDocs)."""
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
    site = project.check(analyse_site(bib.read_bytes(), read_docs(docs), args.bib, args.docs.rstrip("/"), Plugins(project.plugins),
                                      Sources(project.root), hand_files(docs)))
    if with_links and not site.errors:  # the pages are converted as the build converts them: only a site that builds
        site.problems = sorted(set(site.problems) | set(check_links(site, project, _files(site, docs))))
    failing = site.failing(args.strict or is_strict(project.config()))
    fails = set(failing)
    for problem in site.problems:
        print(problem, file=sys.stderr if problem in fails else sys.stdout)
        annotate(problem)
    if failing and not site.errors:
        where = "--strict" if args.strict else "strict: true in mkdocs.yml"
        print(f"citepages: the build is strict ({where}), so its {len(failing)} warning(s) fail it", file=sys.stderr)
    return site, failing


def check(args) -> int:
    site, failing = _load(args, with_links=True)
    if failing:
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
    site, failing = _load(args)
    if failing:
        print("citepages: nothing written", file=sys.stderr)
        return 1
    out = Path(args.out).resolve()
    if refusal := _refusal(out, args.out, args.sources):
        print(f"citepages: {refusal}; nothing written", file=sys.stderr)
        return 2
    project = args.project
    if args.site and (foreign := [f"--{name} {given}" for name, given, own in (("docs", args.docs, project.docs), ("bib", args.bib, project.bibliography))
                                  if Path(given).resolve() != own.resolve()]):
        # The whole site's sources are the project's: its config, pages and assets, with this bibliography's pages.
        print(f"citepages: --site writes the sources of the site {CONFIG} describes; {' and '.join(foreign)} "
              f"{'are' if len(foreign) > 1 else 'is'} not its own; nothing written", file=sys.stderr)
        return 2
    source = (lambda line: f"{args.source_url}#L{line}") if args.source_url else bib_source(project.bib_label, project.settings().get("repo_url", ""))
    pages = site_sources(project, site, source) if args.site else generated_pages(site, source)
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


def cites(args) -> int:
    """The citations of each file, as Pandoc's reader finds them: a JSON list of {file, groups}, each group
    with its place, its text and its citations (key, mode, prefix, suffix, line, col). Problems go to stderr."""
    out, status = [], 0
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            print(f"citepages: cannot read {name}: {error.strerror}", file=sys.stderr)
            status = 2
            continue
        text, problems = decode(data, name)
        _, body, offset = split_front_matter(text)
        doc = analyse(name, body, offset, ids=False)
        for problem in [*problems, *doc.problems]:
            print(problem, file=sys.stderr)
        status = status or (1 if problems else 0)
        out.append({"file": name, "groups": doc.reading()})
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="citepages", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func, text in (("check", check, "run every check the build makes"), ("build", build, "write the study pages as Markdown")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--config", help="the project's mkdocs.yml (default: the nearest one at or above this folder)")
        sub.add_argument("--bib", help="the BibTeX library (default: the option 'bibliography' of citepages.markdown in the config)")
        sub.add_argument("--docs", help="the folder of Markdown pages (default: docs beside the config)")
        sub.add_argument("--strict", action="store_true", help="fail on warnings too (default: as mkdocs.yml's `strict:` says)")
        sub.set_defaults(func=func)
        if name == "build":
            sub.add_argument("--out", required=True, help="folder to write the pages to: a new or empty one, or one citepages build wrote (replaced whole)")
            sub.add_argument("--source-url", help="address of the .bib file, for the 'generated from' link (default: the file in repo_url's repository, or the site's copy)")
            sub.add_argument("--site", action="store_true",
                             help="write the whole site's sources for a generator without hooks (Zensical): docs/ and a mkdocs.yml that builds into site/")
    sub = commands.add_parser("cites", help="print the citations of Markdown files as JSON, as Pandoc reads them")
    sub.add_argument("files", nargs="+", metavar="FILE", help="a Markdown file (front matter allowed)")
    sub.set_defaults(func=cites)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
