"""Shared fixtures: paths, the --update-goldens switch, the real site built once, and a mini-site builder for build tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what is true of any input, never how long an example takes: on a shared machine Hypothesis'
# per-example deadline (200 ms) and its too-slow health check fail a correct test whenever another job slows it.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


def run(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def make_site(tmp_path: Path, bib: str, pages: dict[str, str], with_real_config: bool = True) -> Path:
    """A small copy of the real site: its config, theme overrides, scripts, essay, and the given .bib and pages."""
    site = tmp_path / "site-src"
    site.mkdir(parents=True)
    for name in ("mkdocs.yml", "overrides", "scripts", "includes", "essay.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    config = (site / "mkdocs.yml").read_text()
    config = config[: config.index("\nnav:")] + "\n"  # mini-sites have no fixed navigation
    (site / "mkdocs.yml").write_text(config)
    (site / "references.bib").write_text(bib, encoding="utf-8")
    (site / "docs" / "assets").mkdir(parents=True)
    for asset in (ROOT / "docs" / "assets").iterdir():
        shutil.copy(asset, site / "docs" / "assets" / asset.name)
    (site / "docs" / "about").mkdir()
    # The methodology page is here as the target of every claim page's link to its verdict scale; a mini-site
    # has its own small bibliography, so the page's citations (the GRADE papers) are dropped, and it has none of the
    # other pages of about/, so the links to them keep only their words.
    methodology = (ROOT / "docs" / "about" / "methodology.md").read_text(encoding="utf-8")
    methodology = re.sub(r"\[([^\]\n]*)\]\((?:changelog|corrections)\.md\)", r"\1", re.sub(r" ?\[@[^\]\n]*\]", "", methodology))
    (site / "docs" / "about" / "methodology.md").write_text(methodology, encoding="utf-8")
    for path, text in pages.items():
        target = site / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site


def mkdocs_build(site: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    return run([str(BIN / "mkdocs"), "build", "--strict", *extra], site, **env)


@pytest.fixture(scope="module")
def site():
    """The real site's sources as the build analyses them, with their history: loaded for each module that asks,
    not kept for the whole run (a large live heap slows what the growth tests time)."""
    from citepages.pages import Project  # noqa: PLC0415 (only the modules that use it pay for importing it)

    return Project.find(ROOT).load()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site, built once per run with --strict: every whole-site test reads this one build."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT, "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert problem_lines(result.stderr) == [], "the real site must build with zero warnings"
    return out


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The site as `make zensical` builds it: `citepages build --site`, then Zensical in that folder."""
    sources = tmp_path_factory.mktemp("zensical") / "sources"
    staged = run([str(BIN / "citepages"), "build", "--site", "--out", str(sources)], ROOT)
    assert staged.returncode == 0, staged.stderr
    built = run([str(BIN / "zensical"), "build", "--clean"], sources)
    assert built.returncode == 0 and "No issues found" in built.stdout + built.stderr, built.stdout + built.stderr
    return sources / "site"


def problem_lines(output: str) -> list[str]:
    """The problem lines MkDocs logged, without the level prefix."""
    lines = []
    for line in output.splitlines():
        for level in ("ERROR   -  ", "WARNING -  "):
            if line.startswith(level):
                lines.append(line[len(level):])
    return lines
