"""Every word a person reads, in 中文 and English, under namespaced keys: the one catalogue.

``t(key, lang, **values)`` is the only way to a word. The catalogue is the union of this package's modules
(one per area, each a ``WORDS`` dict of ``key → (zh, en)``); a key defined twice fails at import, and a key
used anywhere in the code but defined nowhere fails ``tests/test_words.py`` — not a page. Metric labels are
the registry's (``opsplan.metrics.registry``), not here. Values are filled in already formatted
(``opsplan.fmt``): a template never formats a number itself.
"""

from __future__ import annotations

from difflib import get_close_matches

from opsplan.words import (
    access,
    app,
    charts,
    check,
    cli,
    drill,
    explore,
    goals,
    labels,
    pages,
    plan,
    report,
    review,
    speed,
    store,
    today,
    why,
)

LANGS = ("zh", "en")
_MODULES = (app, explore, review, access, labels, pages, charts, plan, report, check, store, cli, why)
_MODULES += (today, goals, drill, speed)  # one module per area of issue 12's work


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in _MODULES:
        for key, pair in module.WORDS.items():
            if key in merged:
                raise ValueError(f"word {key!r} is defined twice (again in {module.__name__})")
            merged[key] = pair
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge()


class UnknownWordError(KeyError):
    """A key the catalogue does not hold; the message names the closest keys."""


def has(key: str) -> bool:
    return key in CATALOGUE


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (anything but ``"en"`` reads Chinese); ``values`` fill its {placeholders}."""
    try:
        zh, en = CATALOGUE[key]
    except KeyError:
        close = get_close_matches(key, CATALOGUE, n=3)
        raise UnknownWordError(f"no word {key!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")) from None
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def both(key: str, **values: object) -> tuple[str, str]:
    """(zh, en) of ``key``: for the engine's results that carry both languages."""
    return t(key, "zh", **values), t(key, "en", **values)


def code_label(prefix: str, code: object, lang: str) -> str:
    """The catalogue's label of a code the data or the plan carries (``category.acquisition`` → 拉新); a code the
    catalogue does not know shows as written (a team's own ``tiktok_us`` stays ``tiktok_us``)."""
    key = f"{prefix}.{code}"
    return t(key, lang) if key in CATALOGUE else str(code)


def channel_label(code: str | None, lang: str) -> str:
    """抖音 / Douyin for a known channel code, 全部 / All for no channel; any other code shows as the data names it."""
    return t("app.all", lang) if code is None else code_label("channel", code, lang)
