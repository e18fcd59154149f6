"""A seeded synthetic site for the benchmark: N studies in a .bib file, P claim pages with K citations each.

The same corpus is laid out three times, one folder per build being compared:

- `citepages/`: this site's build (the hook renders citations, reference lists, previews,
  verdict boxes, and generates the study pages and the study index in memory);
- `floor/`: plain MkDocs with the same theme, extensions and overrides, no hook; the citations stay
  as plain text, and what the hook generates is pre-written as files, as `citepages build --site` writes them:
  the study pages and index as Markdown in `docs/studies/` (kept out of the navigation by `not_in_nav`),
  the exports and the link-preview cards;
- `bibtex/`: the mkdocs-bibtex plugin on the same pages and .bib file (footnote citations,
  a reference list per page; it writes no study pages).

Everything is derived from the real `mkdocs.yml`, so a change there (theme, extensions,
validation) reaches the benchmark. Usage:

    python benchmarks/corpus.py --studies 5000 --pages 200 --cites 30 --seed 7 --out benchmarks/out/n5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = """
smith jones taylor brown williams wilson johnson davies robinson wright thompson evans walker white roberts
green hall wood jackson clarke patel khan lewis james phillips mason mitchell rose davis rodriguez cox
alexander garden campbell johnston moore smyth oneill doherty stewart quinn murphy graham mclaughlin hamilton
murray hughes robertson thomson scott macdonald reid clark ross young watson paterson morrison li wang zhang
liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie tang
muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf neumann
rossi russo ferrari esposito bianchi romano colombo ricci marino greco garcia martinez lopez sanchez perez
gomez martin jimenez ruiz hernandez diaz moreno alvarez romero tanaka suzuki takahashi watanabe ito nakamura
kobayashi yamamoto kato yoshida yamada sasaki kim lee park choi jung kang cho yoon jang lim silva santos
oliveira souza pereira costa carvalho almeida nguyen tran pham hoang dubois durand lefebvre moreau laurent
""".split()
GIVEN = """
Adam Alice Amir Anna Ben Carla Chen Dana David Elena Emma Farid Grace Hana Hugo Ines Ivan Jan Jia Julia Karl
Kenji Laura Lena Luca Maria Marta Mei Nadia Nina Omar Paul Priya Rosa Sara Sofia Tomas Uma Victor Wei Yuki Zoe
""".split()
ACCENTED = [r"M{\"u}ller", r"Garc{\'\i}a", r"{\O}stergaard", r"Nu{\~n}ez", r"Sch{\"o}n", r"Fran{\c{c}}ois"]
JOURNALS = [
    "American Journal of Psychiatry", "Biological Psychiatry", "JAMA Psychiatry", "Lancet Psychiatry",
    "Molecular Psychiatry", "Neuropsychopharmacology", "Journal of Affective Disorders", "Nature",
    "Science", "Neuron", "Journal of Psychopharmacology", "British Journal of Psychiatry",
    "Psychological Medicine", "Translational Psychiatry", "Journal of Clinical Psychiatry",
]
WORDS = """
ketamine esketamine infusion depression treatment resistant placebo midazolam randomised trial dose response
synapse neuron receptor glutamate nmda ampa bdnf mtor cortex prefrontal hippocampus habenula amygdala striatum
rapid sustained antidepressant effect remission relapse suicidal ideation anxiety ptsd alcohol cocaine pain
anaesthesia dissociation blood pressure side effects safety tolerability adolescents adults older veterans
outpatient inpatient clinic community sample cohort registry meta analysis systematic review mice rats monkeys
slice recording imaging mri pet eeg meg connectivity network oscillation burst firing plasticity spine growth
stress learned helplessness social defeat forced swim test chronic mild behaviour cognition memory learning
mood rating scale madrs hdrs score change baseline week day hour month follow up maintenance repeated single
intravenous intranasal oral intramuscular racemic metabolite hydroxynorketamine opioid naltrexone lithium
""".split()
TYPES = ["rct", "open-label", "observational", "animal", "review", "meta-analysis"]
VERDICTS = ["Accurate", "Mostly accurate", "Lacks context", "Imprecise", "Misleading", "Unsupported", "Incorrect"]
CERTAINTIES = ["High", "Moderate", "Low", "Very low"]
SECTIONS = [
    ("## The claim", []),
    ("## Bottom line", []),
    ("## What the evidence shows", ["### In people: randomised trials", "### In people: open-label and observational studies", "### In animals"]),
    ("## How sure we are", []),
    ("## What is still unknown", []),
]


def _sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 400)} of {rng.randint(400, 900)}")
    return " ".join(words).capitalize()


def make_library(n: int, rng: random.Random) -> list[tuple[str, list[tuple[str, str]]]]:
    """N @article entries with the fields the real library uses; keys authorYEARword, unique."""
    entries, used = [], set()
    for i in range(n):
        count = rng.choice([1, 2, 3, 4, 6, 8, 12, 16])
        authors = []
        for _ in range(count):
            last = rng.choice(ACCENTED) if rng.random() < 0.03 else rng.choice(SURNAMES).capitalize()
            authors.append(f"{last}, {rng.choice(GIVEN)} {rng.choice('ABCDEFGHJKLMNPRSTW')}.")
        surname = "".join(c for c in authors[0].split(",")[0].lower() if c.isascii() and c.isalpha()) or "anon"
        year = rng.randint(1995, 2025)
        title_words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
        base = f"{surname}{year}{title_words[0]}"
        key, suffix = base, 1
        while key in used:
            suffix += 1
            key = f"{base}{suffix}"
        used.add(key)
        kind = rng.choice(TYPES)
        first_page = rng.randint(1, 2000)
        summary = ". ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) + "."
        entries.append((key, [
            ("author", " and ".join(authors)),
            ("title", " ".join(title_words).capitalize()),
            ("journal", rng.choice(JOURNALS)),
            ("year", str(year)),
            ("volume", str(rng.randint(1, 99))),
            ("number", str(rng.randint(1, 12))),
            ("pages", f"{first_page}--{first_page + rng.randint(3, 15)}"),
            ("doi", f"10.5555/bench.{year}.{i:06d}"),
            ("pmid", str(10_000_000 + i)),
            ("studytype", kind),
            ("n", f"{rng.randint(8, 4000)} {'animals' if kind == 'animal' else 'participants'}"),
            ("summary", summary),
        ]))
    return entries


def bibtex(entries: list[tuple[str, list[tuple[str, str]]]], cited: set[str]) -> str:
    """The library as BibTeX; an entry no page cites is marked background, as the site requires."""
    blocks = []
    for key, fields in entries:
        if key not in cited:
            fields = [*fields, ("background", "true")]
        body = ",\n".join(f"  {name:<10} = {{{value}}}" for name, value in fields)
        blocks.append(f"@article{{{key},\n{body}\n}}\n")
    return "% Synthetic library for the benchmark: made by benchmarks/corpus.py, not real studies.\n\n" + "\n".join(blocks)


def cite_plan(keys: list[str], pages: int, cites: int, rng: random.Random) -> list[list[list[str]]]:
    """For each page, its citation groups: K keys per page, singles and pairs about equally.

    Every study is cited at least once while N <= P*K; the remaining slots cite studies drawn at random.
    """
    slots = pages * cites
    stream = list(keys)
    rng.shuffle(stream)
    if len(stream) >= slots:
        stream = stream[:slots]
    else:
        stream += [rng.choice(keys) for _ in range(slots - len(stream))]
        rng.shuffle(stream)
    plan = []
    for page in range(pages):
        mine, groups, i = stream[page * cites : (page + 1) * cites], [], 0
        while i < len(mine):
            if i + 1 < len(mine) and mine[i] != mine[i + 1] and rng.random() < 0.5:
                groups.append([mine[i], mine[i + 1]])  # [@a; @b]
                i += 2
            else:
                groups.append([mine[i]])  # [@a]
                i += 1
        plan.append(groups)
    return plan


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def claim_page(number: int, groups: list[list[str]], rng: random.Random) -> str:
    """One claim page with a valid front matter, sections, and the citation groups at sentence ends."""
    today = dt.date(2026, 1, 1) + dt.timedelta(days=number % 300)
    title = f"Is it true that {' '.join(rng.choice(WORDS) for _ in range(6))} (claim {number})?"
    meta = {
        "title": title,
        "description": f"Synthetic claim {number} for the benchmark, with its verdict.",
        "claim": _sentence(rng) + ".",
        "quote": " ".join(rng.choice(WORDS) for _ in range(6)),
        "claim_number": number,
        "verdict": rng.choice(VERDICTS),
        "verdict_meaning": f"What the verdict on synthetic claim {number} means.",
        "verdict_as_of": today,
        "certainty": rng.choice(CERTAINTIES),
        "last_reviewed": today,
        "next_review": today + dt.timedelta(days=365),
        "verdict_history": [],
        # A summary of findings of one row, resting on the first study the page cites.
        "findings": [{"outcome": "Depression score", "time": "24 hours", "comparison": "Ketamine against saline", "studies": 1,
                      "participants": 40, "effect": "difference -5.8 points", "certainty": "Low", "reasons": ["imprecision"],
                      "cites": [groups[0][0]]}],
    }
    headings = [h for top, subs in SECTIONS for h in (top, *subs)]
    per = -(-len(groups) // len(headings))  # citation groups per section, rounded up
    front = yaml.dump(meta, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1000).rstrip("\n")
    lines = ["---", front, "---", "", f"# {title}", ""]
    g = 0
    for heading in headings:
        lines += [heading, ""]
        for _ in range(per + 2):
            sentence = _sentence(rng)
            if g < len(groups) and rng.random() < 0.8:
                sentence += " [" + "; ".join(f"@{k}" for k in groups[g]) + "]"
                g += 1
            lines.append(sentence + ".")
        lines.append("")
    while g < len(groups):  # any groups left over close the last section
        lines.append(_sentence(rng) + " [" + "; ".join(f"@{k}" for k in groups[g]) + "].")
        g += 1
    return "\n".join(lines) + "\n"


SHARED_PAGES = {
    "index.md": "---\ntitle: Benchmark site\n---\n\n# Benchmark site\n\nA synthetic site for `make bench`.\n\n<!-- citepages:claims -->\n",
    "claims/index.md": "---\ntitle: All claims\n---\n\n# All claims\n\n<!-- citepages:claims -->\n",
    "about/methodology.md": "---\ntitle: How we check claims\n---\n\n# How we check claims\n\n## Verdicts\n\nThe verdict scale.\n\n## Certainty\n\nThe certainty scale.\n\n"
                            "## How to read a summary of findings\n\nWhat each column says.\n",
    "about/glossary.md": "---\ntitle: Glossary\n---\n\n# Glossary\n\n<!-- citepages:glossary -->\n",
}


class _Tagged:
    """A value with a tag MkDocs gives meaning to (`!relative`, `!ENV`, `!!python/name:`), kept as written."""

    def __init__(self, tag: str, value, node_type: type):
        self.tag, self.value, self.node_type = tag, value, node_type


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(_NoAliases):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return _Tagged(node.tag, value, type(node))


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if data.node_type is yaml.ScalarNode:
        return dumper.represent_scalar(data.tag, data.value)
    if data.node_type is yaml.SequenceNode:
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_mapping(data.tag, data.value)


_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_ConfigDumper.add_representer(_Tagged, _represent_tagged)


def read_config(path: Path) -> dict:
    """An mkdocs.yml as data, its MkDocs tags kept so that it can be written back."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)


def _config(real: dict, variant: str, claim_srcs: list[str]) -> dict:
    config = {k: v for k, v in real.items() if k not in ("hooks", "watch", "nav", "plugins", "not_in_nav")}
    config["site_name"] = f"Benchmark ({variant})"
    nav = [{"Home": "index.md"}, {"Claims": ["claims/index.md", *claim_srcs]}]
    if variant != "bibtex":
        nav.append({"Studies": "studies/index.md"})
    nav.append({"About": ["about/methodology.md", {"Glossary": "about/glossary.md"}]})
    config["nav"] = nav
    config["plugins"] = ["search"]
    if variant == "citepages":
        config["hooks"] = [str(ROOT / "scripts" / "hooks.py")]
    else:  # plain MkDocs: no citepages at all
        config["markdown_extensions"] = [e for e in real["markdown_extensions"] if "citepages.markdown" not in (e if isinstance(e, dict) else {e})]
    if variant == "floor":
        # The study pages exist as files here; keep them out of the navigation as the hook does.
        config["not_in_nav"] = "/studies/*.md\n!/studies/index.md\n"
    elif variant == "bibtex":
        config["plugins"] = ["search", {"bibtex": {"bib_file": "references.bib"}}]
        config["markdown_extensions"] = [*config["markdown_extensions"], "footnotes"]  # mkdocs-bibtex needs it
    return config


def write_site(out: Path, n: int, pages: int, cites: int, seed: int, variants=("citepages", "floor", "bibtex")) -> dict:
    """Write the variants (by default all three) under OUT; returns a summary of the corpus."""
    rng = random.Random(f"{seed}:{n}:{pages}:{cites}")
    entries = make_library(n, rng)
    plan = cite_plan([key for key, _ in entries], pages, cites, rng)
    bib = bibtex(entries, {key for page in plan for group in page for key in group})
    claims = {f"claims/claim-{i + 1:03d}.md": claim_page(i + 1, groups, rng) for i, groups in enumerate(plan)}
    real = read_config(ROOT / "mkdocs.yml")
    if out.exists():
        shutil.rmtree(out)
    for variant in dict.fromkeys(("citepages", *variants)):  # the floor's study pages are made from this site's sources
        site = out / variant
        docs = site / "docs"
        for src, text in {**SHARED_PAGES, **claims}.items():
            (docs / src).parent.mkdir(parents=True, exist_ok=True)
            (docs / src).write_text(text, encoding="utf-8")
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
        shutil.copytree(ROOT / "overrides", site / "overrides")
        shutil.copytree(ROOT / "includes", site / "includes")
        (site / "references.bib").write_text(bib, encoding="utf-8")
        shutil.copy(ROOT / "essay.yml", site / "essay.yml")  # the claim pages' source
        config = _config(real, variant, list(claims))
        (site / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if "floor" in variants:
        # What the hook generates (study pages, the study index, exports, cards), written out as files by
        # `citepages build --site` from this site's sources: every file of its docs/ that the sources do not have.
        written = out / "floor" / "generated"
        subprocess.run([sys.executable, "-m", "citepages", "build", "--site", "--out", str(written)],
                       cwd=out / "citepages", check=True, stdout=subprocess.DEVNULL)
        sources = out / "citepages" / "docs"
        for path in sorted(p for p in (written / "docs").rglob("*") if p.is_file()):
            rel = path.relative_to(written / "docs")
            if not (sources / rel).exists():
                (out / "floor" / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
                path.rename(out / "floor" / "docs" / rel)
        shutil.rmtree(written)
    return {
        "studies": n,
        "pages": pages,
        "cites_per_page": cites,
        "groups": sum(len(p) for p in plan),
        "pair_groups": sum(1 for p in plan for g in p if len(g) == 2),
        "bib_bytes": len(bib.encode("utf-8")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, required=True, help="N: entries in the .bib file")
    parser.add_argument("--pages", type=int, default=200, help="P: claim pages (default 200)")
    parser.add_argument("--cites", type=int, default=30, help="K: cited keys per page (default 30)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced whole)")
    args = parser.parse_args(argv)
    print(write_site(args.out, args.studies, args.pages, args.cites, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
