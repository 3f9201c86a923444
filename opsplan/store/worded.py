"""An error whose message is a catalogue word: English as ``str()`` (the CLI, logs), Chinese for the pages.

``QueryRefused`` and ``ConnectionSettingsError`` reach the Data page, which shows ``text(lang)``; an error
raised with a plain English message (an admin's settings file) reads the same in both languages.
"""

from __future__ import annotations

from typing import Self

from opsplan.words import both


class WordedError(ValueError):
    def __init__(self, message: str, *, message_zh: str = "") -> None:
        super().__init__(message)
        #: the reason in Chinese ("" when only English is known: ``text`` then falls back to it)
        self.message_zh = message_zh

    @classmethod
    def worded(cls, word: str, **values: object) -> Self:
        """The error saying catalogue ``word`` (filled with ``values``) in both languages."""
        zh, en = both(word, **values)
        return cls(en, message_zh=zh)

    def text(self, lang: str) -> str:
        return self.message_zh or str(self) if lang == "zh" else str(self)
