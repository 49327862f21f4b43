"""Deterministic assignment of articles to splits and roles by a hash of the article id.

Why by article: sentences of one article share topic and wording, so splitting sentences would leak an article
into both train and validation, and into both the SFT corpus and the DPO prompts.
"""

from __future__ import annotations

import hashlib


def article_bucket(article_id: str, salt: str = "saga") -> float:
    """A stable number in [0, 1) for an article id (sha256 based; independent of Python's hash seed)."""
    digest = hashlib.sha256(f"{salt}:{article_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def reserved_for_prompts(article_id: str, share: float) -> bool:
    """Whether an article is kept out of the SFT corpus so that DPO prompts can be drawn from it."""
    return article_bucket(article_id, "prompts") < share


def in_holdout(article_id: str, share: float, salt: str) -> bool:
    """Whether an article falls in the validation/test part (`share` of all articles) of a dataset."""
    return article_bucket(article_id, salt) < share
