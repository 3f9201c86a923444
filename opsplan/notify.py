"""Post the daily check's summary to a team chat webhook: Feishu/Lark, DingTalk, WeCom, Slack or plain JSON.

Timeouts and retries are bounded; a failed post raises NotifyError for the caller to report. It never
changes the check's verdict and never touches the warehouse (the history was kept before posting).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from opsplan.check import CheckResult, to_json
from opsplan.check_text import check_table
from opsplan.plan import Plan
from opsplan.stoploss import RuleState

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0
ATTEMPTS = 3


class NotifyError(RuntimeError):
    """The webhook could not be reached or refused the post (after the retries)."""


def detect_format(url: str) -> str:
    """feishu / lark / dingtalk / wecom / slack from the webhook's host, else plain json."""
    host = urlparse(url).hostname or ""
    for needle, fmt in (
        ("feishu", "feishu"),
        ("larksuite", "lark"),
        ("dingtalk", "dingtalk"),
        ("qyapi.weixin", "wecom"),
        ("slack.com", "slack"),
    ):
        if needle in host:
            return fmt
    return "json"


def summary_text(result: CheckResult, plan: Plan, lang: str = "zh") -> str:
    """A few lines: verdict, firing and pending flags with their actions, targets off track."""
    head = f"{plan.name} · {result.date} · {result.status.upper()}"
    lines = [head]
    for f in result.flags:
        if f.state in (RuleState.FIRING, RuleState.PENDING):
            lines.append(f"{'🔴' if f.state is RuleState.FIRING else '🟡'} {f.reason(lang)} → {f.action}")
    for t in result.targets:
        if t.status.value in ("off_track", "at_risk"):
            lines.append(f"• {t.reason(lang)}")
    if len(lines) == 1:
        lines.append("一切正常" if lang == "zh" else "all clear")
    return "\n".join(lines)


def payload(fmt: str, result: CheckResult, plan: Plan, lang: str = "zh") -> dict[str, object]:
    text = summary_text(result, plan, lang)
    if fmt in ("feishu", "lark"):
        return {"msg_type": "text", "content": {"text": text}}
    if fmt == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": plan.name, "text": text.replace("\n", "\n\n")}}
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if fmt == "slack":
        return {"text": text}
    return {"summary": text, "check": to_json(result, lang), "table": check_table(result, lang)}


def _refusal(answer: bytes) -> str | None:
    """Feishu / Lark answer HTTP 200 with ``{"code": 19001, "msg": …}``, DingTalk and WeCom with
    ``{"errcode": 310000, "errmsg": …}`` when they refuse a message (bad token, keyword, signature)."""
    try:
        body = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(body, dict):
        return None
    for code, message in (("code", "msg"), ("errcode", "errmsg"), ("StatusCode", "StatusMessage")):
        value = body.get(code)
        if isinstance(value, int) and value != 0:
            return f"refused: {code} {value} {body.get(message, '')}".strip()
    return None


def notify(
    url: str,
    result: CheckResult,
    plan: Plan,
    fmt: str = "auto",
    lang: str = "zh",
    timeout: float = TIMEOUT_SECONDS,
    attempts: int = ATTEMPTS,
) -> str:
    """POST the payload; retry on connection errors and 5xx with a short backoff. Returns the format used."""
    chosen = detect_format(url) if fmt == "auto" else fmt
    body = json.dumps(payload(chosen, result, plan, lang), ensure_ascii=False).encode("utf-8")
    last = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the user's URL)
                answer = response.read(65536)
                if 200 <= response.status < 300:
                    refusal = _refusal(answer)
                    if refusal is None:
                        return chosen
                    last = refusal
                    break  # the platform answered 200 but refused the message: retrying will not help
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if exc.code < 500:
                break  # the server refused this payload: retrying will not help
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt < attempts:
            time.sleep(0.2 * 2 ** (attempt - 1))
    raise NotifyError(f"{urlparse(url).scheme}://{urlparse(url).netloc}: {last} after {attempt} attempt(s)")
