"""The real site, built once with --strict, served on 127.0.0.1, and Debian's Chromium to read it with.

Every page a test opens through `new_page` (or `page`) is watched: a console error, a failed
request or a request to any host but the local server fails the test that made it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({done.returncode}):\n{done.stderr}{done.stdout}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    """The address the site is built for (mkdocs.yml's site_url), as the home page's canonical link gives it."""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', (site_dir / "index.html").read_text(encoding="utf-8"))
    assert found, "the home page has no canonical link: is site_url set in mkdocs.yml?"
    return found.group(1)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


@contextlib.contextmanager
def serving(directory: Path):
    """A built site served on 127.0.0.1 (port 0: any free port) while the block runs; yields its origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    with serving(site_dir) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
            "(`make browser` installs it, or `apt-get install chromium`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """Everything a page did that a reader should never meet."""

    def __init__(self, origin: str):
        self.origin = origin
        self.problems: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(
            f"console error on {page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception on {page.url}: {exc}"))
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", lambda res: res.status >= 400 and self.problems.append(
            f"HTTP {res.status} on {page.url}: {res.request.method} {res.url}"))

    def _failed(self, request) -> None:
        # A request still running when the test moves on to the next page is aborted by the
        # browser; that is the test's haste, not the site's fault. Any other failure counts.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"request to another host: {request.method} {request.url}")


@pytest.fixture
def new_page(browser, base_url):
    """Open a page in a fresh context (keyword arguments go to new_context) under watch."""
    contexts = []
    watch = Watch(base_url)

    def make(**context_options):
        options = {"base_url": base_url, "color_scheme": "light", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not watch.problems, "the pages visited did something a reader should never meet:\n" + "\n".join(watch.problems)


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 800})
