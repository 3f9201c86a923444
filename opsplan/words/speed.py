"""Words of the on-screen weekly review and page speed."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "speed.review_frame": (
        "{week} 周报（与下载的 HTML 相同）",
        "Weekly review of {week} (the same as the HTML download)",
    ),
}
