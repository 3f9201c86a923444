"""Sentences in both languages from the catalogue, for results that carry zh and en side by side.

Why not ``words.both``: a validation message may hold a word that is itself translated ('a list' / '列表'
inside 'must be a number, not a list'). ``pair`` fills such a (zh, en) value in per language, so no
sentence is glued together from halves in code.
"""

from __future__ import annotations

from opsplan.words import t

Pair = tuple[str, str]


def pair(key: str, **values: object) -> Pair:
    """(zh, en) of ``key``; a value that is a (zh, en) pair is filled in per language, any other as it is."""

    def fill(i: int) -> dict[str, object]:
        return {k: (v[i] if isinstance(v, tuple) else v) for k, v in values.items()}

    return t(key, "zh", **fill(0)), t(key, "en", **fill(1))
