"""`mkdocs serve`: an edit to a page, to references.bib or to the core's code is rebuilt and served without a restart."""

from __future__ import annotations

import contextlib
import html
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from tests.build.test_site import BIB, PAGE
from tests.conftest import BIN, make_site

WAIT_S = 60  # a limit for a hung server, not a speed target (see benchmarks/ for the reload time)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _served_until(url: str, wanted: str) -> bool:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if wanted in response.read().decode():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def serving(site: Path):
    """`mkdocs serve` on the mini-site, on a free port: yields its address and the lines it has printed so far."""
    port = _free_port()
    # The mini-site's copy of the core comes first on the path, so that a test can edit it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(site / "scripts")}
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=site,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + WAIT_S
        while not any("Serving on" in line for line in output) and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.1)
        base = next(m[1] for line in output if (m := re.search(r"Serving on (http://\S+?)/?$", line)))
        yield base, output
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
        server.stdout.close()
    assert "Traceback" not in "".join(output)


def test_serve_rebuilds_after_an_edit_to_a_page_the_bibliography_or_the_core(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    with serving(site) as (base, output):
        assert _served_until(f"{base}/", "In rodents")

        (site / "docs" / "index.md").write_text(PAGE + "\nAn edit to the page.\n", encoding="utf-8")
        assert _served_until(f"{base}/", "An edit to the page."), "".join(output)

        (site / "references.bib").write_text(BIB.replace("stopped habenula bursting", "stopped bursting, as edited"), encoding="utf-8")
        assert _served_until(f"{base}/studies/yang2018ketamine/", "stopped bursting, as edited"), "".join(output)

        assert _served_until(f"{base}/", "Yang &#38; Hu 2018")
        core = site / "scripts" / "citepages" / "render.py"
        core.write_text(core.read_text().replace('f"{names[0]} & {names[1]}"', 'f"{names[0]} with {names[1]}"'), encoding="utf-8")
        assert _served_until(f"{base}/", "Yang with Hu 2018"), "".join(output)

        # With nothing edited, nothing is rebuilt (a build reads the watched files; reading is no change).
        builds = sum("Building documentation" in line for line in output)
        time.sleep(3)
        assert sum("Building documentation" in line for line in output) == builds, "".join(output)


def test_serve_shows_the_problems_of_a_broken_page_and_recovers_when_it_is_fixed(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    problem = "docs/index.md:5:13: unknown citation key 'yang2018ketamin' (did you mean 'yang2018ketamine'?)"
    with serving(site) as (base, output):
        assert _served_until(f"{base}/", "In rodents")
        (site / "docs" / "index.md").write_text(PAGE.replace("yang2018ketamine", "yang2018ketamin"), encoding="utf-8")
        # Every page answers at once (the timeout of each request is 10 s) with the problem, escaped.
        assert _served_until(f"{base}/", html.escape(problem)), "".join(output)
        assert _served_until(f"{base}/studies/yang2018ketamine/", html.escape(problem))
        assert any(problem in line for line in output), "the terminal shows the problem with its place"
        (site / "docs" / "index.md").write_text(PAGE + "\nFixed.\n", encoding="utf-8")
        assert _served_until(f"{base}/", "Fixed."), "".join(output)
        assert _served_until(f"{base}/studies/yang2018ketamine/", "Ketamine blocks bursting")
