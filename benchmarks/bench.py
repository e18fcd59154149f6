"""`make bench`: build a seeded synthetic site three ways at several sizes, and time the real site's live reload.

For each N (studies in the .bib file; P pages with K citations each), it measures:

- the wall time and CPU time (from wait4(2), as /usr/bin/time -v reports them) and the peak memory of its processes together
  (their proportional set sizes, sampled from /proc) of the whole `mkdocs build --strict` process for (1) this site's build, (2) the floor: plain MkDocs with the
  same theme and extensions and the study pages pre-written, (3) the mkdocs-bibtex plugin ((2) and (3) only at the
  sizes of --compare: 500 and 5,000 studies by default; (1) also at the other sizes, for the growth line);
- the time to parse and check the bibliography alone (`citepages.bib.load_library`, in process);
- the wall time of `citepages check`;
- the size of each build's search index, and the share of it that the study pages take.

Then it checks, in one extra build, that the bibliography is parsed once per build, and times
`mkdocs serve` on a copy of the real site: from an edit to one claim page to the reloaded page; and the same on the
real site's floor (plain MkDocs on the same pages), which is what MkDocs itself takes to reload them.
It prints a Markdown table, the ratios and the targets, and writes them to
benchmarks/out/results.md and results.json. The builds run one after another, never in parallel.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

VENV_BIN = Path(sys.executable).parent
BIBTEX_REQUIREMENTS = HERE / "requirements-bibtex.txt"
VARIANTS = ("citepages", "citepages-one", "citepages-full", "floor", "bibtex")
LABELS = {"citepages": "(1) this site", "citepages-one": "(1″) this site in one process (`CITEPAGES_JOBS=1`)",
          "citepages-full": "(1′) this site, every study page rendered in full",
          "floor": "(2) floor", "bibtex": "(3) mkdocs-bibtex"}
# (1′) is (1) on the same sources without the shared rendering of study pages (citepages/skeleton.py), to show what it saves.
# (1″) is (1) without the background process (citepages/background.py): its time and memory in one process.
SOURCES = {"citepages-full": "citepages", "citepages-one": "citepages"}
EXTRA_ENV = {"citepages-full": {"CITEPAGES_FULL_RENDER": "1"}, "citepages-one": {"CITEPAGES_JOBS": "1"}}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the mkdocs-bibtex virtualenv


def bibtex_venv() -> Path:
    """benchmarks/out/venv-bibtex with the exact pins of requirements-bibtex.txt; made once, kept."""
    venv = HERE / "out" / "venv-bibtex"
    stamp = venv / ".installed"
    wanted = BIBTEX_REQUIREMENTS.read_text(encoding="utf-8")
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == wanted):
        log(f"making {_rel(venv)} (mkdocs-bibtex, pinned)")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        result = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(BIBTEX_REQUIREMENTS)],
            capture_output=True, text=True,
        )
        if result.returncode:
            sys.exit(f"bench: could not install mkdocs-bibtex:\n{result.stdout}{result.stderr}")
        stamp.write_text(wanted, encoding="utf-8")
    # The comparison is only fair if both virtualenvs run the same MkDocs, theme and extensions.
    theirs = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import json; from importlib import metadata as m; "
         "print(json.dumps({p: m.version(p) for p in ('mkdocs', 'mkdocs-material', 'pymdown-extensions', 'Markdown')}))"],
        capture_output=True, text=True, check=True,
    )
    for package, version in json.loads(theirs.stdout).items():
        if metadata.version(package) != version:
            log(f"WARNING: {package} is {metadata.version(package)} in the project but {version} for mkdocs-bibtex; "
                "update benchmarks/requirements-bibtex.txt")
    return venv


# ---------------------------------------------------------------- measuring one process


def _pss_kib(pid: int) -> int:
    """The proportional set size of a process: its own pages, and its share of the pages it shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _tree_pss_kib(pid: int) -> int:
    """The memory of a process and its children (the build's background process), counting shared pages once."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            kids = [int(c) for c in children.read().split()]
    except OSError:
        kids = []
    return _pss_kib(pid) + sum(_pss_kib(kid) for kid in kids)


def timed(command: list[str], cwd: Path, log_file: Path, env: dict | None = None) -> dict:
    """Wall time, CPU time and peak RSS of one process (and the children it waited for), from wait4(2); and the peak
    memory of the process and its children together, sampled every 20 ms (wait4 gives the largest single process's)."""
    with open(log_file, "w", encoding="utf-8") as out:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                peak[0] = max(peak[0], _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    return {"status": process.returncode, "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mib": round(usage.ru_maxrss / 1024, 1), "peak_all_mib": round(max(peak[0], usage.ru_maxrss) / 1024, 1),
            "load_before": round(load, 2), "log": _rel(log_file)}


def search_index(site: Path) -> dict:
    path = site / "search" / "search_index.json"
    if not path.exists():
        return {"bytes": 0, "studies_bytes": 0, "claims_bytes": 0, "entries": 0}
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    size = lambda prefix: sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs if d["location"].startswith(prefix))  # noqa: E731
    return {"bytes": path.stat().st_size, "studies_bytes": size("studies/"), "claims_bytes": size("claims/"), "entries": len(docs)}


def measure_size(n: int, args, venv: Path, variants: tuple[str, ...] = VARIANTS) -> dict:
    where = args.out / f"n{n}"
    log(f"N={n}: writing the corpus ({args.pages} pages, {args.cites} citations each, seed {args.seed})")
    start = time.perf_counter()
    summary = corpus.write_site(where, n, args.pages, args.cites, args.seed, tuple(v for v in variants if v not in SOURCES))
    summary["generate_s"] = round(time.perf_counter() - start, 2)
    result = {"corpus": summary}

    log(f"N={n}: parsing and checking the bibliography alone")
    probe = subprocess.run([sys.executable, str(HERE / "probe.py"), "bib", str(where / "citepages" / "references.bib")],
                           env=ENV, capture_output=True, text=True, check=True)
    result["bib"] = json.loads(probe.stdout)

    log(f"N={n}: citepages check")
    checks = [timed([str(VENV_BIN / "citepages"), "check"], where / "citepages", where / "check.log") for _ in range(args.repeat)]
    result["check"] = min(checks, key=lambda run: run["wall_s"])

    commands = {
        "citepages": [str(VENV_BIN / "mkdocs")],
        "citepages-full": [str(VENV_BIN / "mkdocs")],
        "citepages-one": [str(VENV_BIN / "mkdocs")],
        "floor": [str(VENV_BIN / "mkdocs")],
        "bibtex": [str(venv / "bin" / "mkdocs")],
    }
    runs: dict[str, list[dict]] = {variant: [] for variant in variants}
    for attempt in range(1, args.repeat + 1):  # the builds in turn, so a busy spell slows all of them alike
        for variant in sorted(variants, key=("floor", "citepages", "citepages-one", "citepages-full", "bibtex").index):
            log(f"N={n}: building {LABELS[variant]} ({attempt} of {args.repeat})")
            # Each build writes a folder of its own and starts on a settled file system: the previous build's files
            # written out and nothing being deleted (a build after deleting the floor's 5,205 pages ran 30% slower).
            site = where / f"site-{variant}-{attempt}"
            shutil.rmtree(site, ignore_errors=True)
            os.sync()
            build = timed([*commands[variant], "build", "--strict", "--site-dir", str(site)], where / SOURCES.get(variant, variant),
                          where / f"{variant}.log", EXTRA_ENV.get(variant))
            build["pages"] = sum(1 for _ in site.rglob("index.html")) if site.exists() else 0
            build["search"] = search_index(site)
            if build["status"]:
                log(f"N={n}: {variant} build FAILED (exit {build['status']}); see {build['log']}:")
                print("".join(Path(where / f"{variant}.log").read_text(encoding="utf-8").splitlines(keepends=True)[-15:]), file=sys.stderr)
            runs[variant].append(build)
    for site in where.glob("site-*"):
        shutil.rmtree(site, ignore_errors=True)
    os.sync()
    # The fastest run of each is the one least disturbed by the rest of the machine; every run is kept in results.json.
    result["builds"] = {variant: {**min(r, key=lambda run: run["wall_s"]), "all_wall_s": [run["wall_s"] for run in r]}
                        for variant, r in runs.items()}
    return result


# ---------------------------------------------------------------- parsed once per build


def parse_count(n: int, args) -> dict:
    where = args.out / f"n{n}"
    log(f"N={n}: one more build of (1), counting how often the bibliography is parsed")
    site = where / "site-count"
    probe = subprocess.run([sys.executable, str(HERE / "probe.py"), "count", str(where / "citepages" / "mkdocs.yml"), str(site)],
                           cwd=where / "citepages", env=ENV, capture_output=True, text=True)
    shutil.rmtree(site, ignore_errors=True)
    if probe.returncode:
        return {"error": (probe.stderr or probe.stdout).strip().splitlines()[-1:]}
    return json.loads(probe.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- mkdocs serve on the real site


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8", errors="replace")


def _floor_of(copy: Path, floor: Path) -> None:
    """The real site as plain MkDocs builds it without citepages, as corpus.py makes the synthetic floor: the same
    pages, theme, extensions and navigation, no hook and no citation extension (citations stay as text), and what
    the hook generates (study pages and their index as Markdown, exports, cards) written out by `citepages build --site`."""
    shutil.rmtree(floor, ignore_errors=True)
    shutil.copytree(copy, floor)
    written = floor / "generated"
    subprocess.run([sys.executable, "-m", "citepages", "build", "--site", "--out", str(written)], cwd=copy, env=ENV,
                   check=True, stdout=subprocess.DEVNULL)
    for path in sorted(p for p in (written / "docs").rglob("*") if p.is_file()):
        rel = path.relative_to(written / "docs")
        if not (copy / "docs" / rel).exists():
            (floor / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            path.rename(floor / "docs" / rel)
    shutil.rmtree(written)
    config = corpus.read_config(copy / "mkdocs.yml")
    for name in ("hooks", "watch"):
        config.pop(name, None)
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if "citepages.markdown" not in (e if isinstance(e, dict) else {e})]
    config["not_in_nav"] = "/studies/*.md\n!/studies/index.md\n"  # as the hook keeps them out of the navigation
    config["strict"] = False  # links to the anchors of References lists, which only citepages writes, are warnings here
    (floor / "mkdocs.yml").write_text(corpus.yaml.dump(config, Dumper=corpus._ConfigDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")


def serve_reload(args, edits: int = 3) -> dict:
    """Edit one claim page of a copy of the real site under `mkdocs serve`; time until the reloaded page has the edit.
    The same edits are then timed on the floor of the real site (`_floor_of`): what MkDocs itself takes for these pages."""
    copy = args.out / "serve-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "benchmarks", "site", ".site-*", "__pycache__", "*.egg-info", "node_modules", ".pytest_cache", ".hypothesis", "tests"))
    nav = corpus.read_config(copy / "mkdocs.yml").get("nav", [])
    flat = json.dumps(nav)
    claims = [c for c in re.findall(r'"(claims/[^"]+\.md)"', flat) if not c.endswith("index.md")]
    if not claims:
        return {"error": "no claim page in the real site's nav"}
    target = claims[len(claims) // 2]
    result = _serve_edits(copy, target, edits, "the real site")
    try:
        _floor_of(copy, args.out / "serve-floor")
    except subprocess.CalledProcessError as error:
        result["floor"] = {"error": f"the floor could not be written ({error})"}
    else:
        result["floor"] = _serve_edits(args.out / "serve-floor", target, edits, "the real site's floor")
    return result


def _serve_edits(copy: Path, target: str, edits: int, what: str) -> dict:
    page_url_path = "/" + target.removesuffix(".md") + "/"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"mkdocs serve on a copy of {what} ({base}), editing docs/{target} {edits} times")
    server = subprocess.Popen([str(VENV_BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=copy, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []
    ready = threading.Event()

    def reader():
        for line in server.stdout:
            lines.append((time.perf_counter(), line.rstrip()))
            if "Serving on" in line:
                ready.set()
        ready.set()

    threading.Thread(target=reader, daemon=True).start()
    try:
        ready.wait(timeout=300)
        if server.poll() is not None or not any("Serving on" in text for _, text in lines):
            errors = [text for _, text in lines if "ERROR" in text or "Error" in text][:5]
            return {"error": "the real site does not build, so `mkdocs serve` stopped: " + " | ".join(errors or [t for _, t in lines[-3:]])}
        # MkDocs serves under the path of site_url (here /site/); take the address it prints.
        base = next(m[1] for _, t in lines if (m := re.search(r"Serving on (http://\S+?)/?$", t)))
        first = [float(m[1]) for _, t in lines if (m := re.search(r"Documentation built in ([\d.]+) seconds", t))]
        results = []
        page = copy / "docs" / target
        original = page.read_text(encoding="utf-8")
        for i in range(edits):
            html = _get(base + page_url_path)
            epoch = re.search(r"livereload\((\d+),\s*(\d+)\)", html)
            marker = f"Benchmark edit {i + 1} at {time.time_ns()}."
            seen = len(lines)
            start = time.perf_counter()
            page.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            if epoch:  # what the browser does: a long poll that returns once a newer build is visible
                while int(_get(f"http://127.0.0.1:{port}/livereload/{epoch[1]}/{epoch[2]}", timeout=120)) <= int(epoch[1]):
                    pass
            reloaded = _get(base + page_url_path)
            elapsed = time.perf_counter() - start
            built = [float(m[1]) for _, t in lines[seen:] if (m := re.search(r"Documentation built in ([\d.]+) seconds", t))]
            results.append({"edit_to_reloaded_s": round(elapsed, 2), "build_s": built[-1] if built else None, "has_edit": marker in reloaded})
            time.sleep(1.0)  # let the watcher settle before the next edit
        page.write_text(original, encoding="utf-8")
        return {
            "page": f"docs/{target}",
            "first_build_s": first[0] if first else None,
            "edits": results,
            "median_edit_to_reloaded_s": statistics.median(r["edit_to_reloaded_s"] for r in results),
            "median_build_s": statistics.median(r["build_s"] for r in results if r["build_s"] is not None) if any(r["build_s"] for r in results) else None,
            "all_edits_seen": all(r["has_edit"] for r in results),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------- report


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f}"


def report(results: dict) -> str:
    sizes = sorted(results["sizes"], key=int)
    meta = results["meta"]
    out = [
        f"`make bench` on {meta['machine']}, {meta['date']}; P = {meta['pages']} pages, K = {meta['cites']} citations each, seed {meta['seed']}.",
        f"Each number is the fastest of {meta.get('repeat', 1)} run(s) of the whole process (wall; user + system CPU and maximum resident set size from wait4(2), "
        "as `/usr/bin/time -v` reports them); builds run one at a time, the three in turn. The load average shows what else the machine was running.",
        "",
        "| N studies | build | wall s | CPU s | peak MiB, all processes (largest one) | pages written | search index MiB (study pages) | load avg before |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        for variant in (v for v in VARIANTS if v in results["sizes"][n]["builds"]):
            b = results["sizes"][n]["builds"][variant]
            failed = " (FAILED)" if b["status"] else ""
            out.append(
                f"| {int(n):,} | {LABELS[variant]}{failed} | {b['wall_s']:.1f} | {b['cpu_s']:.1f} | {b.get('peak_all_mib', b['peak_mib']):.0f} ({b['peak_mib']:.0f}) | {b['pages']:,} | "
                f"{_mib(b['search']['bytes'])} ({_mib(b['search']['studies_bytes'])}) | {b['load_before']} |"
            )
    out += ["", "| N studies | (1)/(2) wall (CPU) | (1)/(3) wall (CPU) | (1″)/(3) wall (CPU) | (1)/(1′) wall (CPU) | parse + check .bib alone, s (bibtexparser's share) | `citepages check` wall s | check peak MiB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        r = results["sizes"][n]
        b = r["builds"]
        ratio = lambda y, x="citepages": f"{b[x]['wall_s'] / b[y]['wall_s']:.2f} ({b[x]['cpu_s'] / b[y]['cpu_s']:.2f})" if x in b and y in b else "—"  # noqa: E731
        out.append(
            f"| {int(n):,} | {ratio('floor')} | {ratio('bibtex')} | {ratio('bibtex', 'citepages-one')} | {ratio('citepages-full')} | "
            f"{r['bib']['load_library_s']:.2f} ({r['bib']['bibtexparser_s']:.2f}) | {r['check']['wall_s']:.2f} | {r['check']['peak_mib']:.0f} |"
        )
    if len(sizes) >= 2:
        out += ["", "Growth with N: seconds per 1,000 more studies between successive sizes, wall (CPU); constant if linear.", "",
                "| from N | to N | " + " | ".join(LABELS[v] for v in VARIANTS) + " | `citepages check` |", "|---:|---:|" + "---:|" * (len(VARIANTS) + 1)]
        for a, c in zip(sizes, sizes[1:]):
            cells = [f"{_slope(results, a, c, v, 'wall_s'):.2f} ({_slope(results, a, c, v, 'cpu_s'):.2f})"
                     if all(v in results["sizes"][x]["builds"] for x in (a, c)) else "—" for v in VARIANTS]
            ra, rc = results["sizes"][a]["check"], results["sizes"][c]["check"]
            cells.append(f"{(rc['wall_s'] - ra['wall_s']) / ((int(c) - int(a)) / 1000):.2f}")
            out.append(f"| {int(a):,} | {int(c):,} | " + " | ".join(cells) + " |")
    count = results.get("parse_count")
    if count:
        out += ["", f"Bibliography parses in one build of (1) at N = {count.get('n')}: "
                + (", ".join(f"`{k}` × {v}" for k, v in count.get("calls", {}).items()) or str(count)) + f" ({count.get('pages_written', '?')} pages written)."]
    out += _serve_lines(results.get("serve"))
    out += ["", "Targets:", ""] + [f"- {'met' if ok else 'MISSED'}: {text}" for ok, text in targets(results)]
    return "\n".join(out) + "\n"


def _serve_lines(serve: dict | None) -> list[str]:
    """The report's lines on `mkdocs serve`: the real site's reload, and its floor's."""
    out: list[str] = []
    if serve:
        if "error" in serve:
            out += ["", f"`mkdocs serve`, real site: not measured: {serve['error']}"]
        else:
            each = ", ".join(f"{e['edit_to_reloaded_s']:.2f} s" for e in serve["edits"])
            out += ["", f"`mkdocs serve` on the real site (first build {serve['first_build_s']} s), an edit to `{serve['page']}` until the reloaded page "
                    f"shows it: median {serve['median_edit_to_reloaded_s']:.2f} s ({each}); MkDocs' own rebuild: median {serve['median_build_s']:.2f} s; "
                    f"edit seen every time: {serve['all_edits_seen']}. The first figure includes noticing the edit and MkDocs' 0.1 s debounce."]
            floor = serve.get("floor") or {}
            if "median_edit_to_reloaded_s" in floor:
                each = ", ".join(f"{e['edit_to_reloaded_s']:.2f} s" for e in floor["edits"])
                out += ["", f"The same edits on the real site's floor (plain MkDocs, the same pages, theme and extensions, no citepages; the study pages "
                        f"as Markdown files; first build {floor['first_build_s']} s): median {floor['median_edit_to_reloaded_s']:.2f} s ({each}); "
                        f"MkDocs' own rebuild: median {floor['median_build_s']:.2f} s; edit seen every time: {floor['all_edits_seen']}."]
            else:
                out += ["", f"The real site's floor under `mkdocs serve`: not measured: {floor.get('error', 'skipped')}"]
    return out


def _slope(results: dict, a: str, c: str, variant: str, key: str) -> float:
    """Seconds per 1,000 studies between sizes a and c."""
    ra, rc = results["sizes"][a]["builds"][variant], results["sizes"][c]["builds"][variant]
    return (rc[key] - ra[key]) / (int(c) - int(a)) * 1000


def _r_squared(results: dict, sizes: list[str]) -> float:
    """How well CPU time of (1) = a + b·N fits the measured sizes (1 is a perfect line)."""
    xs = [int(n) for n in sizes]
    ys = [results["sizes"][n]["builds"]["citepages"]["cpu_s"] for n in sizes]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    residual = sum((y - (my + b * (x - mx))) ** 2 for x, y in zip(xs, ys))
    total = sum((y - my) ** 2 for y in ys)
    return 1 - residual / total if total else 1.0


def targets(results: dict) -> list[tuple[bool, str]]:
    sizes = sorted(results["sizes"], key=int)
    compared = [n for n in sizes if "floor" in results["sizes"][n]["builds"] and "bibtex" in results["sizes"][n]["builds"]]
    big = results["sizes"][compared[-1]]  # the largest size with all three builds: the N = 5,000
    b = big["builds"]
    n = int(compared[-1])
    ok = []
    ok.append((b["citepages"]["wall_s"] <= 0.3 * b["floor"]["wall_s"],
               f"N = {n:,}: (1) at most 0.30× the floor: {b['citepages']['wall_s'] / b['floor']['wall_s']:.2f}× wall "
               f"({b['citepages']['cpu_s'] / b['floor']['cpu_s']:.2f}× CPU)"))
    if "citepages-full" in b:
        ok.append((b["citepages"]["cpu_s"] < b["citepages-full"]["cpu_s"],
                   f"N = {n:,}: the shared rendering of study pages pays: (1) {b['citepages']['wall_s']:.1f} s wall "
                   f"({b['citepages']['cpu_s']:.1f} s CPU) against {b['citepages-full']['wall_s']:.1f} s ({b['citepages-full']['cpu_s']:.1f} s) without it"))
    ok.append((b["citepages"]["wall_s"] <= 0.6 * b["bibtex"]["wall_s"],
               f"N = {n:,}: (1) at most 0.6× mkdocs-bibtex: {b['citepages']['wall_s'] / b['bibtex']['wall_s']:.2f}× wall "
               f"({b['citepages']['cpu_s'] / b['bibtex']['cpu_s']:.2f}× CPU); {b['citepages']['wall_s']:.1f} s vs {b['bibtex']['wall_s']:.1f} s"))
    peak = b["citepages"].get("peak_all_mib", b["citepages"]["peak_mib"])
    ok.append((peak < 300, f"N = {n:,}: peak memory of (1), its processes together, under 300 MiB: {peak:.0f} MiB "
                            f"(the largest one alone: {b['citepages']['peak_mib']:.0f} MiB)"))
    ok.append((big["check"]["wall_s"] < 2, f"N = {n:,}: `citepages check` under 2 s: {big['check']['wall_s']:.2f} s"))
    if len(sizes) >= 3:
        # Judged on CPU time: on a shared machine, wall time also counts the waits for a core. The failure to catch
        # is super-linear growth (work per study rising with N), so the slope may fall but not rise by over 25%.
        cpu = [_slope(results, a, c, "citepages", "cpu_s") for a, c in zip(sizes, sizes[1:])]
        wall = [_slope(results, a, c, "citepages", "wall_s") for a, c in zip(sizes, sizes[1:])]
        fit = _r_squared(results, sizes)
        linear = min(cpu) > 0 and all(later <= 1.25 * earlier for earlier, later in zip(cpu, cpu[1:])) and fit >= 0.98
        ok.append((linear, "time of (1) grows linearly with N (CPU s per 1,000 studies never rises by over 25% from one step to the next, "
                   "and a straight line through every size fits with R² ≥ 0.98): "
                   + " then ".join(f"{x:.1f}" for x in cpu) + " CPU s; wall " + " then ".join(f"{x:.1f}" for x in wall) + f"; R² = {fit:.4f}"))
    count = results.get("parse_count") or {}
    parses = count.get("calls", {}).get("bibtexparser.parse_string")
    ok.append((parses == 1, f"bibliography parsed once per build: `bibtexparser.parse_string` called {parses} time(s) in one build"))
    serve = results.get("serve") or {}
    if "median_edit_to_reloaded_s" in serve:
        floor = (serve.get("floor") or {}).get("median_edit_to_reloaded_s")
        beside = f" (plain MkDocs on the same pages: {floor:.2f} s)" if floor else ""
        ok.append((serve["median_edit_to_reloaded_s"] < 1.0, f"`mkdocs serve` reload after one claim edit under 1.0 s: {serve['median_edit_to_reloaded_s']:.2f} s{beside}"))
    else:
        ok.append((False, f"`mkdocs serve` reload: not measured ({serve.get('error', 'skipped')})"))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,5000,10000", help="numbers of studies for build (1), comma-separated (default 500,5000,10000)")
    parser.add_argument("--compare", default="500,5000", help="the sizes at which the floor and mkdocs-bibtex are built too (default 500,5000)")
    parser.add_argument("--pages", type=int, default=200, help="P: claim pages (default 200)")
    parser.add_argument("--cites", type=int, default=30, help="K: citations per page (default 30)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each build and check; the fastest is reported (default 2)")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` measurement")
    parser.add_argument("--profile", action="store_true", help="also profile build (1) at the largest N (cProfile; slow)")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    compare = {int(s) for s in args.compare.split(",")}
    sizes = sorted({int(s) for s in args.sizes.split(",")} | compare)
    started = time.perf_counter()

    venv = bibtex_venv()
    results = {
        "meta": {"machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
                 "date": time.strftime("%Y-%m-%d"), "repeat": args.repeat, "pages": args.pages, "cites": args.cites, "seed": args.seed,
                 "versions": {p: metadata.version(p) for p in ("mkdocs", "mkdocs-material", "pymdown-extensions", "bibtexparser")}},
        "sizes": {},
    }
    for n in sizes:
        results["sizes"][str(n)] = measure_size(n, args, venv, VARIANTS if n in compare else ("citepages",))
    results["parse_count"] = {"n": sizes[0], **parse_count(sizes[0], args)}
    if not args.no_serve:
        results["serve"] = serve_reload(args)
    if args.profile:
        where = args.out / f"n{sizes[-1]}"
        log(f"N={sizes[-1]}: profiling build (1)")
        text = subprocess.run([sys.executable, str(HERE / "probe.py"), "profile", str(where / "citepages" / "mkdocs.yml"), str(where / "site-profile")],
                              cwd=where / "citepages", env=ENV, capture_output=True, text=True).stdout
        shutil.rmtree(where / "site-profile", ignore_errors=True)
        (args.out / f"profile-n{sizes[-1]}.txt").write_text(text, encoding="utf-8")
    results["meta"]["bench_s"] = round(time.perf_counter() - started, 1)

    table = report(results)
    (args.out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (args.out / "results.md").write_text(table, encoding="utf-8")
    print(table)
    log(f"done in {results['meta']['bench_s']:.0f} s; results in {_rel(args.out / 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
