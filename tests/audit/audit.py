"""Lighthouse (mobile) on the built site, served gzip-compressed on 127.0.0.1: five runs per page, prints the median of
each of the four scores (and the five performance scores, sorted), fails below the targets.

Usage: python tests/audit/audit.py LIGHTHOUSE_BIN SITE_DIR   (`make audit` installs Lighthouse and builds SITE_DIR)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PAGES = ["/", "/claims/habenula-burst-mode/", "/studies/yang2018ketamine/"]
RUNS = 5
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg"}
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves text gzipped, as any real host of the site (GitHub Pages) does; Lighthouse would time it raw otherwise."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix in COMPRESSED and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


def lighthouse(binary: str, url: str, out: Path) -> dict:
    subprocess.run(
        [binary, url, "--quiet", "--form-factor=mobile", f"--chrome-flags={CHROME_FLAGS}",
         f"--only-categories={','.join(TARGETS)}", "--output=json", f"--output-path={out}"],
        check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )
    return json.loads(out.read_text(encoding="utf-8"))


def short_of(report: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not score full marks."""
    audits = (report["audits"][ref["id"]] for ref in report["categories"][category]["auditRefs"] if ref["weight"])
    return [audit["id"] for audit in audits if audit["score"] is not None and audit["score"] < 1]


def main(binary: str, site: str) -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    misses = []
    print(f"{'page':40} " + " ".join(f"{name:>14}" for name in TARGETS))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for number, path in enumerate(PAGES):
                # Lighthouse's timings move with the machine's load: the median of five runs, as its docs advise.
                reports = [lighthouse(binary, origin + path, Path(tmp) / f"{number}-{run}.json") for run in range(RUNS)]
                reports.sort(key=lambda report: report["categories"]["performance"]["score"])
                report = reports[RUNS // 2]
                scores = {name: round(statistics.median(r["categories"][name]["score"] for r in reports) * 100)
                          for name in TARGETS}
                runs = " ".join(str(round(r["categories"]["performance"]["score"] * 100)) for r in reports)
                print(f"{path:40} " + " ".join(f"{scores[name]:>14}" for name in TARGETS) + f"   (performance runs: {runs})")
                for name, score in scores.items():
                    if score < TARGETS[name]:
                        misses.append(f"{path}: {name} {score} < {TARGETS[name]} ({', '.join(short_of(report, name))})")
    finally:
        server.shutdown()
        server.server_close()
    print("\n".join(misses) or "every page meets the targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
