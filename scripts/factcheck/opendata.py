"""The claims as open data: claims.json, the same rows as claims.csv, and the JSON Schema (claims.schema.json) that
claims.json follows. One record per claim page, in the essay's order, from its front matter and its citations:
its address, question, the essay's wording, verdict, certainty, dates, verdict history, cited keys and summary of
findings. Published under CC BY 4.0; the essay's quoted wording stays its author's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from citepages import schema

from .changes import LICENSE_NAME, LICENSE_URL
from .frontmatter import (CERTAINTIES, CLAIM_SCHEMA, CORRECTION_SCHEMA, HISTORY_SCHEMA, NO_OUTCOME_ROW, NOT_REPORTED, OUTCOME_ROW,
                          VERDICTS, Participants)

JSON_PATH, CSV_PATH, SCHEMA_PATH = "claims.json", "claims.csv", "claims.schema.json"
# The CSV's columns, in order: the record's fields, lists and mappings written as JSON text.
CSV_COLUMNS = ("url", "claim_number", "question", "claim", "essay_wording", "verdict", "certainty", "verdict_as_of",
               "last_reviewed", "next_review", "verdict_history", "cited_keys", "findings", "corrections")
NOTICE = ("The essay's wording in 'essay_wording' is quoted in short phrases for comment and remains its author's; "
          "everything else is ours, under CC BY 4.0.")


def _plain(value):
    """Front-matter values as JSON values: dates as ISO strings, everything else as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def claim_record(meta: dict, url: str, cited_keys: list[str]) -> dict:
    return {
        "url": url,
        "claim_number": meta["claim_number"],
        "question": meta["title"],
        "claim": meta["claim"],
        "essay_wording": meta["quote"],
        "verdict": meta["verdict"],
        "certainty": meta["certainty"],
        "verdict_as_of": _plain(meta["verdict_as_of"]),
        "last_reviewed": _plain(meta["last_reviewed"]),
        "next_review": _plain(meta["next_review"]),
        "verdict_history": _plain(meta.get("verdict_history") or []),
        "cited_keys": list(cited_keys),
        "findings": _plain(meta.get("findings") or []),
        "corrections": _plain(meta.get("corrections") or []),
    }


def essay_record(essay) -> dict:
    """The essay the claims come from, as the data names it (empty on a site without one)."""
    if essay is None:
        return {}
    return {"author": essay.author, "title": essay.title, "outlet": essay.outlet, "date": essay.date.isoformat(), "url": essay.url}


def dataset(records: list[dict], site_name: str, site_url: str, essay: dict) -> dict:
    """The whole file: what it is, its licence and the essay it checks, then the claims."""
    return {
        "title": f"{site_name}: the claims checked",
        "url": site_url + JSON_PATH,
        "schema": site_url + SCHEMA_PATH,
        "license": LICENSE_URL,
        "license_name": LICENSE_NAME,
        "notice": NOTICE,
        "essay": essay,
        "claims": records,
    }


def claims_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def claims_csv(records: list[dict]) -> str:
    """The records as CSV with a header row; lists and mappings as JSON text, so a spreadsheet keeps every value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([v if isinstance(v := record[c], (str, int)) else json.dumps(v, ensure_ascii=False) for c in CSV_COLUMNS])
    return out.getvalue()


def _json(declared) -> dict:
    """The JSON Schema of a front-matter spec (citepages.schema), dates written as ISO strings."""
    rule = schema.spec(declared)
    if isinstance(rule, schema.Text):
        return {"type": "string", "minLength": 1}
    if isinstance(rule, schema.Whole):
        return {"type": "integer", "minimum": rule.low, **({"maximum": rule.high} if rule.high is not None else {})}
    if isinstance(rule, schema.Date):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(rule, schema.OneOf):
        return {"enum": list(rule.choices)}
    if isinstance(rule, schema.ListOf):
        return {"type": "array", **({"items": _json(rule.item)} if rule.item is not None else {})}
    if isinstance(rule, Participants):
        return {"oneOf": [{"type": "integer", "minimum": 1}, {"const": NOT_REPORTED}]}
    if isinstance(rule, schema.Fields):
        return {"type": "object", "additionalProperties": False, "properties": {k: _json(v) for k, v in rule.schema.items()},
                "required": [k for k, v in rule.schema.items() if schema.required(v)]}
    raise TypeError(f"no JSON Schema for {rule!r}")


def _row(fields: dict) -> dict:
    """A summary-of-findings row: its declared fields, and at least one study cited (checked beside the schema)."""
    row = _json(fields)
    row["properties"]["cites"]["minItems"] = 1
    return row


def schema_document(site_url: str) -> dict:
    """The JSON Schema (draft 2020-12) of claims.json, built from the same declarations the build checks the front matter
    against (factcheck/frontmatter.py)."""
    claim = {
        "type": "object",
        "additionalProperties": False,
        "required": list(CSV_COLUMNS),
        "properties": {
            "url": {"type": "string", "format": "uri-reference"},
            "claim_number": _json(CLAIM_SCHEMA["claim_number"]),
            "question": _json(str), "claim": _json(str), "essay_wording": _json(str),
            "verdict": _json(VERDICTS), "certainty": _json(CERTAINTIES),
            "verdict_as_of": _json(dt.date), "last_reviewed": _json(dt.date), "next_review": _json(dt.date),
            "verdict_history": {"type": "array", "items": _json(HISTORY_SCHEMA)},
            "cited_keys": {"type": "array", "items": _json(str), "uniqueItems": True},
            "findings": {"type": "array", "minItems": 1, "items": {"oneOf": [_row(OUTCOME_ROW), _row(NO_OUTCOME_ROW)]}},
            "corrections": {"type": "array", "items": _json(CORRECTION_SCHEMA)},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site_url + SCHEMA_PATH,
        "title": "The claims checked, with their verdicts and summaries of findings",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "url", "schema", "license", "license_name", "notice", "essay", "claims"],
        "properties": {
            "title": _json(str), "url": {"type": "string"}, "schema": {"type": "string"},
            "license": {"const": LICENSE_URL}, "license_name": {"const": LICENSE_NAME}, "notice": _json(str),
            "essay": {"type": "object"},
            "claims": {"type": "array", "minItems": 1, "items": claim},
        },
    }


def schema_json(site_url: str) -> str:
    return json.dumps(schema_document(site_url), ensure_ascii=False, indent=2) + "\n"
