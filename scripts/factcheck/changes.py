"""What changed on the site, from the data alone: each claim's verdict and its changes, its second reviews, the
studies it came to cite, and the corrections made to any page. Shown on each claim page under "What changed", in
the Atom feed (feed.xml) and, for corrections, in a dated notice at the top of the page and in the corrections log.

Every date comes from the front matter or from the repository's history (the commit that changed the page), never
from the clock, so two builds of one commit are identical. The history also gives, for each change, the version of
the page just before it, which the page links to in the repository.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from citepages.render import attr, esc, long_date
from citepages.sharing import CONTENT_LICENSE

from .frontmatter import CERTAINTIES

HEADING = "What changed"
ANCHOR = "what-changed"
CORRECTIONS_MARKER = "<!-- citepages:corrections -->"
REPORT_MARKER = "<!-- citepages:report -->"  # the two ways to report an error, as at the foot of every page
LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = CONTENT_LICENSE
FEED_PATH = "feed.xml"
SITE_AUTHOR = "Ketamine Evidence contributors"
# A citation key as the pages write it (`[@key]`, `@key`, `@{key}`): letters, digits, punctuation inside, never after a word.
_KEY_RE = re.compile(r"(?<![\w.@])@\{?([A-Za-z0-9_][\w:.#$%&+?<>~/-]*[A-Za-z0-9_])")


@dataclass(frozen=True)
class Revision:
    """One commit that changed a page: its date, the keys it cited there for the first time, and the commit of the
    page's version before it (None for the page's first version)."""

    commit: str
    date: dt.date
    new_keys: tuple[str, ...] = ()
    before: str | None = None


@dataclass(frozen=True)
class History:
    """The repository's history of the docs folder: where that folder is in the repository, and each page's
    revisions, oldest first, by its path under the folder."""

    docs: str = "docs"
    pages: dict[str, list[Revision]] = field(default_factory=dict)


def history(root: Path, docs_label: str = "docs") -> History:
    """The history of the docs folder from one `git log` (empty outside a git checkout)."""
    try:
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "-c", "core.quotePath=false", "log", "--reverse", "--no-renames", "--format=@%H %cs",
                              "-p", "--unified=0", "--no-color", "--", docs_label], cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return History(docs_label)
    docs = f"{prefix}{docs_label}/"
    out: dict[str, list[Revision]] = {}
    counts: dict[str, Counter] = {}
    commit, date, path, delta = "", dt.date.min, None, {}

    def close() -> None:
        for src, change in delta.items():
            seen = counts.setdefault(src, Counter())
            before = {k for k, n in seen.items() if n > 0}
            seen.update(change)
            new = tuple(sorted({k for k, n in seen.items() if n > 0} - before)) if before else ()
            revisions = out.setdefault(src, [])
            revisions.append(Revision(commit, date, new, revisions[-1].commit if revisions else None))

    for line in log.splitlines():
        if line.startswith("@") and not line.startswith("@@"):
            close()
            (commit, day), path = line[1:].split(), None
            date, delta = dt.date.fromisoformat(day), {}
        elif line.startswith("diff --git "):
            name = line.split(" b/", 1)[-1]
            path = name.removeprefix(docs) if name.startswith(docs) else None
            if path is not None:
                delta.setdefault(path, Counter())
        elif path is not None and line[:1] in "+-" and not line.startswith(("+++", "---")):
            sign = 1 if line[0] == "+" else -1
            for key in _KEY_RE.findall(line):
                delta[path][key] += sign
    close()
    return History(docs.rstrip("/"), out)


@dataclass(frozen=True)
class Change:
    """One change a reader cares about, on one page."""

    date: dt.date
    kind: str  # "verdict", "verdict-change", "certainty-change", "review", "studies", "correction"
    title: str
    text: str = ""
    before: str | None = None  # the commit of the page as it was just before the change
    anchor: str = field(default="", compare=False)
    seq: int = field(default=0, compare=False)  # its place among the changes of its kind, in the data's own order


def _before(revisions: list[Revision], date: dt.date) -> str | None:
    """The commit of the last version of the page from before `date`."""
    earlier = [r.commit for r in revisions if r.date < date]
    return earlier[-1] if earlier else None


def page_changes(meta: dict, revisions: list[Revision], label_for=lambda key: key, is_claim: bool = True) -> list[Change]:
    """The changes of one page, newest first: on a claim page its verdict as now given (unless a recorded change gave
    it), each recorded change of verdict or certainty and each commit that cited new studies; on any page its second
    reviews and its corrections. Each has an anchor of its own, `change-<date>-<kind>` (with a number when one day has several)."""
    changes: list[Change] = []
    if is_claim:
        history_ = [c for c in meta.get("verdict_history") or [] if isinstance(c, dict)]
        for i, change in enumerate(history_):
            what = "Certainty" if change["from"] in CERTAINTIES else "Verdict"
            changes.append(Change(change["date"], f"{what.lower()}-change", f"{what} changed from {change['from']} to {change['to']}",
                                  str(change["why"]), _before(revisions, change["date"]), seq=i))
        if not any(c["date"] == meta["verdict_as_of"] and c["to"] == meta["verdict"] for c in history_):
            changes.append(Change(meta["verdict_as_of"], "verdict", f"Verdict given: {meta['verdict']}, certainty {meta['certainty']}",
                                  "The verdict and the certainty of the evidence as judged on this date",
                                  _before(revisions, meta["verdict_as_of"])))
        for i, revision in enumerate(revisions):
            if revision.new_keys:
                names = "; ".join(label_for(key) for key in revision.new_keys)
                plural = "y" if len(revision.new_keys) == 1 else "ies"
                changes.append(Change(revision.date, "studies", f"New stud{plural} cited", names, revision.before, seq=i))
    for i, review in enumerate(meta.get("reviewed") or []):
        if isinstance(review, dict) and isinstance(review.get("date"), dt.date):
            changes.append(Change(review["date"], "review", "Second review", str(review.get("changed", "")),
                                  _before(revisions, review["date"]), seq=i))
    for i, correction in enumerate(meta.get("corrections") or []):
        if isinstance(correction, dict) and isinstance(correction.get("date"), dt.date):
            changes.append(Change(correction["date"], "correction", "Correction", str(correction.get("what", "")),
                                  _before(revisions, correction["date"]), seq=i))
    order = {"verdict": 0, "verdict-change": 1, "certainty-change": 2, "studies": 3, "review": 4, "correction": 5}
    changes.sort(key=lambda c: (c.date, order[c.kind], c.seq), reverse=True)
    seen: Counter = Counter()
    named = []
    for change in reversed(changes):  # numbered oldest first, so a new change never renames an old anchor
        base = f"change-{change.date.isoformat()}-{change.kind}"
        seen[base] += 1
        named.append(Change(change.date, change.kind, change.title, change.text, change.before,
                            base if seen[base] == 1 else f"{base}-{seen[base]}", change.seq))
    return named[::-1]


def page_before_url(repo_url: str, commit: str, repo_path: str) -> str:
    return f"{repo_url.rstrip('/')}/blob/{commit}/{repo_path}"


def what_changed(changes: list[Change], repo_url: str, repo_path: str, feed_href: str) -> str:
    """The "What changed" section: one item per change, newest first, each with its date, what changed, and a link
    to the page as it was before (in the repository's history) where the history has it."""
    items = []
    for change in changes:
        text = f": {esc(change.text)}" if change.text else ""
        text += "" if change.text.endswith((".", "?", "!")) else "."
        link = ""
        if change.before and repo_url:
            link = f' <a class="changes__before" href="{attr(page_before_url(repo_url, change.before, repo_path))}">The page before this change</a>'
        items.append(f'<li class="changes__item changes__item--{change.kind}" id="{attr(change.anchor)}">'
                     f'<time datetime="{change.date.isoformat()}">{long_date(change.date)}</time>: '
                     f"<strong>{esc(change.title)}</strong>{text}{link}</li>")
    body = '<ol class="changes">\n' + "\n".join(items) + "\n</ol>" if items else "<p>No changes recorded yet.</p>"
    return f"## {HEADING} {{ #{ANCHOR} }}\n\n{body}\n\nFollow every change on the site in [its feed]({feed_href}).\n"


def correction_notices(meta: dict) -> str:
    """A dated notice per correction, newest first, for the top of the corrected page ("" without corrections)."""
    notices = []
    for correction in sorted((c for c in meta.get("corrections") or [] if isinstance(c, dict)), key=lambda c: c["date"], reverse=True):
        notices.append(f'<div class="correction-notice" role="note"><p><strong>Correction, '
                       f'<time datetime="{correction["date"].isoformat()}">{long_date(correction["date"])}</time>:</strong> '
                       f'{esc(correction["what"])}</p></div>')
    return "\n".join(notices)


def insert_after_title(markdown: str, block: str) -> str:
    """The page with `block` just after its first-level heading (or at the top)."""
    if not block:
        return markdown
    match = re.search(r"^# .*\n", markdown, re.MULTILINE)
    at = match.end() if match else 0
    return markdown[:at] + "\n" + block + "\n\n" + markdown[at:]


@dataclass(frozen=True)
class PageChanges:
    """A page's changes with what the feed and the log need to name and link it."""

    src: str
    title: str
    url: str  # the page's address (absolute when the site has a site_url)
    changes: list[Change]


def corrections_log(pages: list[PageChanges], href_for) -> str:
    """Every correction on the site, newest first, each linking to its notice on the page (`href_for(src)`)."""
    rows = [(c.date, p, c) for p in pages for c in p.changes if c.kind == "correction"]
    if not rows:
        return "No corrections have been made so far.\n"
    rows.sort(key=lambda row: (row[0], row[1].src), reverse=True)
    items = [f"- **{long_date(d)}**, [{esc(p.title)}]({href_for(p.src)}): {esc(c.text)}" for d, p, c in rows]
    return f"{len(rows)} correction{'s' if len(rows) != 1 else ''} so far, newest first.\n\n" + "\n".join(items) + "\n"


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def atom_feed(pages: list[PageChanges], site_url: str, site_name: str) -> str:
    """An Atom feed with one entry per change, newest first; its dates are the changes' own, so the feed is the same
    on every build of the same sources."""
    entries = sorted(((c, p) for p in pages for c in p.changes), key=lambda cp: (cp[0].date, cp[1].url, cp[0].anchor), reverse=True)
    updated = max((c.date for c, _ in entries), default=dt.date(1970, 1, 1))
    x = lambda text: xml_escape(str(text), {'"': "&quot;"})  # noqa: E731
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"  <title>{x(site_name)}: what changed</title>",
        "  <subtitle>Verdict and certainty changes, second reviews, newly cited studies and corrections, claim by claim.</subtitle>",
        f"  <id>{x(site_url + FEED_PATH)}</id>",
        f'  <link rel="self" type="application/atom+xml" href="{x(site_url + FEED_PATH)}"/>',
        f'  <link rel="alternate" type="text/html" href="{x(site_url)}"/>',
        f"  <updated>{_timestamp(updated)}</updated>",
        f"  <author><name>{x(SITE_AUTHOR)}</name></author>",
        f"  <rights>Text and data under {LICENSE_NAME} ({LICENSE_URL}); quoted essay wording remains its author's.</rights>",
    ]
    for change, page in entries:
        link = f"{page.url}#{change.anchor}"
        summary = f"{change.title}: {change.text}" if change.text else change.title
        lines += [
            "  <entry>",
            f"    <title>{x(page.title)} — {x(change.title)}</title>",
            f"    <id>{x(link)}</id>",
            f'    <link rel="alternate" type="text/html" href="{x(link)}"/>',
            f"    <updated>{_timestamp(change.date)}</updated>",
            f"    <published>{_timestamp(change.date)}</published>",
            f'    <category term="{x(change.kind)}"/>',
            f"    <summary>{x(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def report_links(email: str, repo_url: str, url: str, title: str) -> tuple[str, str]:
    """The two ways to report an error on a page: an email (no account needed) with the page's address and title
    filled in, and GitHub's correction form; either is "" when the site names no address for it."""
    subject = f"Correction: {title}"
    body = (f"Page: {url}\n\nWhat is wrong (quote the sentence):\n\n"
            "What the source says (a link to the study and the passage or number):\n")
    mailto = f"mailto:{email}?subject={quote(subject)}&body={quote(body)}" if email else ""
    github = f"{repo_url.rstrip('/')}/issues/new?template=correction.md&title={quote(subject)}" if repo_url else ""
    return mailto, github


def report_html(email: str, repo_url: str, url: str, title: str) -> str:
    """The links of `report_links` as one paragraph of HTML ("" when there is neither)."""
    mailto, github = report_links(email, repo_url, url, title)
    ways = []
    if mailto:
        ways.append(f'<a class="report-error__email" href="{attr(mailto)}">email us</a> (no account needed; the page\'s address is filled in)')
    if github:
        ways.append(f'<a class="report-error__github" href="{attr(github)}" rel="noopener">report it on GitHub</a>')
    if not ways:
        return ""
    return (f'<p class="report-error"><strong>Found an error?</strong> {" or ".join(ways)}. '
            "We answer within 7 days.</p>")
