"""The evidence as data on the built site: every claim page's summary of findings, claims.json valid against its
schema with claims.csv holding the same rows, the Atom feed read by a real feed parser and dated from the data, the
licences, and the corrections policy with its working email link."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import jsonschema
import pytest
import yaml

from citepages import pages
from factcheck import changes, layer
from factcheck.claims import is_claim
from tests.conftest import ROOT

SITE = pages.Project.find(ROOT).load()
CLAIMS = sorted((src for src in SITE.meta if is_claim(src)), key=lambda s: SITE.meta[s]["claim_number"])
SITE_URL = SITE.settings["site_url"]
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def page_html(real_site, src: str) -> str:
    return (real_site / pages.page_url(src) / "index.html").read_text(encoding="utf-8")


def test_thirteen_claims_each_with_its_summary_of_findings(real_site):
    assert len(CLAIMS) == 13
    for src in CLAIMS:
        html = page_html(real_site, src)
        start = html.index('id="summary-of-findings"')
        table = html[start:html.index("</table>", start)]
        rows = SITE.meta[src]["findings"]
        assert table.count("<tr>") == len(rows) + 1, src  # the header and one row per finding
        for row in rows:
            for key in row["cites"]:
                assert f'href="../../studies/{key}/"' in table, (src, key)  # linked like every citation
            if "no_outcome" in row:
                assert "No outcome measured in people" in table, src
            else:
                assert f"<td>{row['studies']} (" in table, src
        assert html.index('id="summary-of-findings"') < html.index('id="how-sure-we-are"'), src


def test_claims_json_is_valid_against_its_schema_and_holds_every_claim(real_site):
    data = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))
    schema = json.loads((real_site / "claims.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [c["url"] for c in data["claims"]] == [SITE_URL + pages.page_url(src) for src in CLAIMS]
    for record, src in zip(data["claims"], CLAIMS):
        meta = SITE.meta[src]
        assert (record["question"], record["essay_wording"], record["verdict"], record["certainty"]) == (
            meta["title"], meta["quote"], meta["verdict"], meta["certainty"])
        assert record["verdict_as_of"] == meta["verdict_as_of"].isoformat() and record["next_review"] == meta["next_review"].isoformat()
        assert len(record["findings"]) == len(meta["findings"]) and record["cited_keys"] == SITE.cited_keys(src)
    # The schema is not a formality: a claim without its verdict, or a reason GRADE does not know, is refused.
    broken = json.loads(json.dumps(data))
    del broken["claims"][0]["verdict"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    broken = json.loads(json.dumps(data))
    broken["claims"][0]["findings"][0]["reasons"] = ["small sample"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_claims_csv_has_the_same_rows(real_site):
    data = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))["claims"]
    rows = list(csv.DictReader(io.StringIO((real_site / "claims.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(data) == 13
    for row, record in zip(rows, data):
        assert set(row) == set(record)
        for name, value in record.items():
            cell = row[name]
            assert (json.loads(cell) if isinstance(value, (list, dict)) else int(cell) if isinstance(value, int) else cell) == value, name


def dates_of(src: str) -> set[str]:
    """Every date the data gives a page's changes: its front matter and the commits that changed it."""
    meta = SITE.meta.get(src, {})
    found = {meta["verdict_as_of"]} if "verdict_as_of" in meta else set()
    for name in ("verdict_history", "reviewed", "corrections"):
        found |= {item["date"] for item in meta.get(name) or []}
    found |= {r.date for r in SITE.extra["history"].pages.get(src, [])}
    return {d.isoformat() for d in found}


def test_feed_is_read_by_a_feed_parser_and_dated_from_the_data(real_site):
    feed = feedparser.parse((real_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    entries = feed.entries
    by_page: dict[str, list] = {}
    for entry in entries:
        by_page.setdefault(entry.link.split("#")[0], []).append(entry)
    for src in CLAIMS:
        mine = by_page[SITE_URL + pages.page_url(src)]
        assert len(mine) >= 1 + len(SITE.meta[src]["verdict_history"]), src
        assert {e.updated[:10] for e in mine} <= dates_of(src), src
        assert SITE.meta[src]["verdict_as_of"].isoformat() in {e.updated[:10] for e in mine}
    assert len({e.id for e in entries}) == len(entries)
    assert feed.feed.updated[:10] == max(e.updated[:10] for e in entries)


def test_every_page_links_the_feed_and_each_claim_lists_what_changed(real_site):
    for file in sorted(real_site.rglob("index.html")):
        links = [a for t, a in tags(file.read_text(encoding="utf-8")) if t == "link" and a.get("type") == "application/atom+xml"]
        assert len(links) == 1, file
        target = (file.parent / links[0]["href"]).resolve()
        assert target == (real_site / "feed.xml").resolve(), file
    for src in CLAIMS:
        html = page_html(real_site, src)
        section = html[html.index('id="what-changed"'):html.index('id="references"')]
        for change in layer._changes(SITE, src):
            assert f'id="{change.anchor}"' in section, (src, change.anchor)
            if change.before:
                assert f'href="{SITE.settings["repo_url"]}/blob/{change.before}/docs/{src}"' in section


def test_licences_in_the_repository_the_footer_and_the_json_ld(real_site):
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) 2026 Ketamine Evidence contributors")
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert "Creative Commons Attribution 4.0 International Public License" in content and "Section 8 – Interpretation." in content
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text())["license"] == ["CC-BY-4.0", "MIT"]
    for src in ["index.md", "about/methodology.md", *CLAIMS]:
        html = page_html(real_site, src)
        footer = html[html.index('class="md-copyright"'):]
        assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener">CC BY 4.0</a>' in footer, src
    for src in CLAIMS:
        blocks = [json.loads(b) for b in JSON_LD.findall(page_html(real_site, src))]
        assert blocks and all(b["license"] == changes.LICENSE_URL for b in blocks), src
    study = json.loads(JSON_LD.findall((real_site / "studies" / "yang2018ketamine" / "index.html").read_text())[0])
    assert study["license"] == changes.LICENSE_URL


def mailto_of(html: str) -> dict:
    link = next(a["href"] for t, a in tags(html) if t == "a" and a.get("href", "").startswith("mailto:"))
    parts = urlsplit(link)
    return {"to": parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()}}


def test_corrections_policy_with_a_working_email_link(real_site):
    html = page_html(real_site, "about/methodology.md")
    policy = html[html.index('id="corrections-policy"'):html.index('id="following-changes"')]
    assert "within 7 days" in policy and "corrections log" in policy and "feed" in policy
    report = html[html.index('id="reporting-an-error"'):html.index('id="corrections-policy"')]
    mail = mailto_of(report)
    assert mail["to"] == SITE.settings["extra"]["corrections_email"] and re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", mail["to"])
    assert mail["body"].startswith(f"Page: {SITE_URL}about/methodology/")
    assert "github.com/ketamine-evidence/site/issues/new?template=correction.md" in report
    for src in CLAIMS[:3]:  # at the foot of every page, the page's own address filled in
        mail = mailto_of(page_html(real_site, src)[page_html(real_site, src).index('class="report-error"'):])
        assert mail["subject"] == f"Correction: {SITE.meta[src]['title']}"
        assert unquote(mail["body"]).startswith(f"Page: {SITE_URL}{pages.page_url(src)}")
    log = (real_site / "about" / "corrections" / "index.html").read_text()
    assert "No corrections have been made so far." in log or "correction" in log


def test_the_reuse_section_says_what_may_be_reused_and_how_to_credit(real_site):
    html = page_html(real_site, "about/methodology.md")
    reuse = html[html.index('id="reuse"'):html.index('id="conflicts-of-interest-and-funding"')]
    for said in ("CC BY 4.0", "MIT licence", "Credit", "remains its author", "are facts"):
        assert said in reuse, said
    data = html[html.index('id="open-data"'):html.index('id="reuse"')]
    for href in ("../../claims.json", "../../claims.csv", "../../claims.schema.json", "../../references.bib", "../../references.json"):
        assert f'href="{href}"' in data, href
    index = (real_site / "studies" / "index.html").read_text()
    for href in ("../claims.json", "../claims.csv", "../references.bib", "../references.json"):
        assert f'href="{href}"' in index, href


def test_a_correction_shows_at_the_top_of_its_page_in_the_log_and_in_the_feed(tmp_path):
    from tests.build.test_site import BIB, CLAIM
    from tests.conftest import make_site, mkdocs_build

    claim = CLAIM.format(verdict="Misleading").replace("---\n\n# Is it true?", "corrections:\n  - date: 2026-02-03\n"
                                                       "    what: The trial had 40 people, not 400.\n---\n\n# Is it true?")
    log = (ROOT / "docs" / "about" / "corrections.md").read_text(encoding="utf-8")
    site = make_site(tmp_path, BIB, {"index.md": "# Home\n", "claims/x.md": claim, "about/corrections.md": log})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "claims" / "x" / "index.html").read_text()
    notice = html.index('class="correction-notice"')
    assert html.index("<h1") < notice < html.index('class="verdict-box"')
    assert '<time datetime="2026-02-03">3 February 2026</time>' in html[notice:notice + 400]
    log = (site / "site" / "about" / "corrections" / "index.html").read_text()
    assert "The trial had 40 people, not 400." in log and 'href="../../claims/x/"' in log
    feed = feedparser.parse((site / "site" / "feed.xml").read_bytes())
    correction = [e for e in feed.entries if e.title.endswith("— Correction")]
    assert [(e.updated, e.link.split("#")[1]) for e in correction] == [("2026-02-03T00:00:00Z", "change-2026-02-03-correction")]
