"""Post the daily check's summary to a team chat webhook: Feishu/Lark, DingTalk, WeCom, Slack or plain JSON.

Timeouts and retries are bounded: connection errors, 429 and 5xx are retried (honouring ``Retry-After``, capped),
within ``WAIT_BUDGET`` seconds of waiting in all; other 4xx are not. A failed post raises NotifyError for the
caller to report. It never changes the check's verdict. ``notify_once`` skips a post whose every alert the
webhook was already told, and after a post records what it told in the warehouse's ledger (``alert_log``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import urlparse

import duckdb

from opsplan.plan import alert_log
from opsplan.plan.acks import mark
from opsplan.plan.check_text import check_table, unknown_reason
from opsplan.plan.model import Plan
from opsplan.plan.result import CheckResult, to_json
from opsplan.plan.stoploss import RuleState
from opsplan.store.warehouse import Warehouse, WarehouseError
from opsplan.words import t

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0
ATTEMPTS = 3
#: the longest single wait a server's Retry-After gets, and all the waits of one post together
RETRY_AFTER_CAP = 10.0
WAIT_BUDGET = 30.0
#: client errors worth asking again (rate limits); every 5xx is retried too
_RETRIED = (429,)


class NotifyError(RuntimeError):
    """The webhook could not be reached or refused the post (after the retries)."""


#: the platforms' webhook hosts (a host ending in one of these; e.g. open.feishu.cn, oapi.dingtalk.com)
HOSTS = (
    ("feishu.cn", "feishu"),
    ("larksuite.com", "lark"),
    ("dingtalk.com", "dingtalk"),
    ("qyapi.weixin.qq.com", "wecom"),
    ("slack.com", "slack"),
)
#: formats whose servers answer HTTP 200 with an error code in the body when they refuse a message
_CODED = ("feishu", "lark", "dingtalk", "wecom")
#: the largest message each platform takes, in UTF-8 bytes (WeCom markdown: 4096; DingTalk and Feishu: 20 KB)
LIMITS = {"wecom": 4000, "dingtalk": 18000, "feishu": 18000, "lark": 18000, "slack": 38000}


def detect_format(url: str) -> str:
    """feishu / lark / dingtalk / wecom / slack from the webhook's host, else plain json.

    Matched on the end of the host, so ``hooks.slack.com`` is Slack and ``slack.com.example.org`` is not.
    """
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    for suffix, fmt in HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return fmt
    return "json"


def plan_title(plan: Plan | str) -> str:
    """The plan's name; a plan that could not be read is named by its file."""
    return plan if isinstance(plan, str) else plan.name


def summary_text(result: CheckResult, plan: Plan | str, lang: str = "zh") -> str:
    """A few lines: verdict, firing and pending flags with their actions, targets off track.

    An unknown verdict says why (no data, a plan with errors and each of them …), never "all clear".
    """
    head = f"{plan_title(plan)} · {result.date or '—'} · {result.status.upper()}"
    lines = [head]
    if result.stale(lang):  # old data or a failed load: said first, and the rest is about the old day
        lines.append(f"⚠ {result.stale(lang)}")
    elif result.status == "unknown":
        return "\n".join([head, unknown_reason(result, lang)])
    for f in result.flags:
        if f.state in (RuleState.FIRING, RuleState.PENDING):
            icon = "🔴" if f.state is RuleState.FIRING else "🟡"
            icon = "🔕" if f.snoozed_on(result.date) else icon
            line = t("check.notify_flag", lang, icon=icon, reason=f.reason(lang), action=f.action)
            lines.append(line + mark(f, result.date, lang))
    for x in result.targets:
        if x.status.value in ("missed", "off_track", "at_risk"):
            lines.append(t("check.notify_target", lang, reason=x.reason(lang)))
    if len(lines) == 1:
        lines.append(t("check.all_clear", lang))  # only when the data is current
    return "\n".join(lines)


def _fit(text: str, limit: int | None, lang: str, sep: str = "\n") -> str:
    """Whole lines joined by ``sep``, cut to the platform's size limit with a last line saying how many
    were left out (a WeCom markdown message over 4096 bytes is refused outright)."""
    lines = text.split("\n")
    if limit is None or len(sep.join(lines).encode("utf-8")) <= limit:
        return sep.join(lines)
    kept: list[str] = []
    size = 0
    for line in lines:
        cost = len(line.encode("utf-8")) + len(sep)
        if size + cost > limit - 64:  # room for the last line
            break
        kept.append(line)
        size += cost
    more = len(lines) - len(kept)
    return sep.join([*kept, t("check.more", lang, n=more)])


def payload(fmt: str, result: CheckResult, plan: Plan | str, lang: str = "zh") -> dict[str, object]:
    """The body each platform's incoming webhook takes (text messages; markdown for DingTalk and WeCom)."""
    summary = summary_text(result, plan, lang)
    text = _fit(summary, LIMITS.get(fmt), lang)
    if fmt in ("feishu", "lark"):
        return {"msg_type": "text", "content": {"text": text}}
    if fmt == "dingtalk":
        return {
            "msgtype": "markdown",
            "markdown": {"title": plan_title(plan), "text": _fit(summary, LIMITS[fmt], lang, "\n\n")},
        }
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if fmt == "slack":  # Slack reads <…> as links and mentions: its docs ask for these three escaped
        escaped = summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return {"text": _fit(escaped, LIMITS[fmt], lang)}
    return {"summary": summary, "check": to_json(result, lang), "table": check_table(result, lang)}


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


def _answer_text(exc: urllib.error.HTTPError) -> str:
    """The first 200 characters of an error answer's body, if any."""
    try:
        return exc.read(200).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException, AttributeError):
        return ""


def _where(url: str) -> str:
    """scheme://host[:port] of the webhook for messages: its path, query and user info hold the secrets."""
    parts = urlparse(url)
    try:
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        parts = parts._replace(scheme="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotifyError("not a webhook URL: it needs http:// or https:// and a host")
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def retry_after(headers: Message | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number, or an HTTP date); None when absent or unreadable."""
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def notify(
    url: str,
    result: CheckResult,
    plan: Plan | str,
    fmt: str = "auto",
    lang: str = "zh",
    timeout: float = TIMEOUT_SECONDS,
    attempts: int = ATTEMPTS,
) -> str:
    """POST the payload; retry on connection errors, 429 and 5xx with a backoff (the server's Retry-After when it
    gives one, capped at RETRY_AFTER_CAP), never waiting more than WAIT_BUDGET in all. Returns the format used."""
    chosen = detect_format(url) if fmt == "auto" else fmt
    where = _where(url)
    body = json.dumps(payload(chosen, result, plan, lang), ensure_ascii=False).encode("utf-8")
    last = ""
    waited = 0.0
    for attempt in range(1, attempts + 1):
        asked: float | None = None  # what the server's Retry-After asks for
        try:
            request = urllib.request.Request(
                url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the user's URL)
                answer = response.read(65536)
                if 200 <= response.status < 300:
                    refusal = _refusal(answer) if chosen in _CODED else None
                    if refusal is None:
                        return chosen
                    last = refusal
                    break  # the platform answered 200 but refused the message: retrying will not help
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            # Slack answers 400 invalid_payload / 403 invalid_token / 404 no_service: worth showing
            said = _answer_text(exc)
            last = f"HTTP {exc.code}" + (f" {said}" if said else "")
            if exc.code < 500 and exc.code not in _RETRIED:
                break  # the server refused this payload: retrying will not help
            asked = retry_after(exc.headers)
        except (ValueError, http.client.InvalidURL) as exc:  # e.g. control characters: not echoed (secrets)
            last = f"invalid URL ({type(exc).__name__})"
            break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = str(getattr(exc, "reason", exc)) or type(exc).__name__
        except http.client.HTTPException as exc:  # not an OSError: a garbled status line, a cut-off answer
            last = f"not an HTTP answer ({type(exc).__name__}: {exc})"
        if attempt == attempts:
            break
        pause = min(0.2 * 2 ** (attempt - 1) if asked is None else asked, RETRY_AFTER_CAP)
        if waited + pause > WAIT_BUDGET:
            break  # a rate limit that outlasts the budget: reported, the check is not held up
        time.sleep(pause)
        waited += pause
    last = " ".join(last.split())  # one line on standard error, whatever the server or the OS said
    raise NotifyError(f"{where}: {last} after {attempt} attempt(s)")


def notify_once(
    wh: Warehouse,
    url: str,
    result: CheckResult,
    plan: Plan | str,
    *,
    always: bool = False,
    fmt: str = "auto",
    lang: str = "zh",
    timeout: float = TIMEOUT_SECONDS,
) -> str:
    """``notify`` unless the webhook was already told every alert of this check for its day (``alert_log``);
    ``always`` posts regardless. Records what was posted. Returns '' when posted, else a one-line note.

    The caller holds ``alert_log.notify_lock`` from judging through here, so overlapping checks post once. A
    ledger that cannot be read or written never stops a post: better told twice than not at all.
    """
    hook, title = alert_log.hook_id(url), plan_title(plan)
    day = alert_log.alert_day(result)
    notes = []
    try:
        posted = alert_log.posted_states(wh, hook, title, day)
    except (WarehouseError, duckdb.Error, OSError) as exc:
        posted = {}
        notes.append(f"could not read what was posted ({_first_line(exc)}): posted anyway")
    decision = alert_log.decide(result, posted)
    if not decision.changed and not always:
        return (
            f"already posted: {title} · {day} · {result.status.upper()} ({decision.told} alert(s)) "
            f"to {_where(url)}; --notify-always posts it again"
        )
    notify(url, result, plan, fmt=fmt, lang=lang, timeout=timeout)
    try:
        alert_log.record_post(wh, hook, title, decision)
    except (WarehouseError, duckdb.Error, OSError) as exc:
        notes.append(f"posted, but not recorded ({_first_line(exc)}): a rerun will post it again")
    return "; ".join(notes)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
