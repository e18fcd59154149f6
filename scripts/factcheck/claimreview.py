"""A claim page's ClaimReview (schema.org), for search engines and fact-check aggregators, and the page as a MedicalWebPage."""

from __future__ import annotations

import datetime as dt

from citepages.sharing import CONTENT_LICENSE

from .essay import Essay, appearance_jsonld, author_jsonld

VERDICT_RATING = {v: i for i, v in enumerate(
    ["Incorrect", "Unsupported", "Misleading", "Imprecise", "Lacks context", "Mostly accurate", "Accurate"], start=1)}


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def claim_jsonld(meta: dict, url: str, site_name: str, site_url: str, essay: Essay) -> list[dict]:
    """A ClaimReview of the claim as it appears in the essay (schema.org's itemReviewed: a Claim with its
    author and appearance), and the page as a MedicalWebPage."""
    publisher = {"@type": "Organization", "name": site_name, "url": site_url}
    appearance = appearance_jsonld(essay)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "license": CONTENT_LICENSE,
        "claimReviewed": meta["claim"],
        "datePublished": _iso(meta["verdict_as_of"]),
        "author": publisher,
        "itemReviewed": {"@type": "Claim", "author": author_jsonld(essay), "datePublished": essay.date.isoformat(),
                         "appearance": appearance, "firstAppearance": appearance},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": VERDICT_RATING[meta["verdict"]],
            "bestRating": len(VERDICT_RATING),
            "worstRating": 1,
            "alternateName": meta["verdict"],
        },
    }
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "license": CONTENT_LICENSE,
        "name": meta["title"],
        "description": meta["description"],
        "lastReviewed": _iso(meta["last_reviewed"]),
        "publisher": publisher,
    }
    return [review, page]
