"""Words of the login screen and the access refusals."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "auth.open_local": (
        "🔓 未设置密码：没有 secrets.toml，只对本机的浏览器开放（见 docs/deploy.md）。",
        "🔓 No password set: without a secrets.toml it opens only to a browser on this machine (see docs/deploy.md).",
    ),
    "auth.signed_in_as": ("已登录：{who}", "Signed in as {who}"),
    "auth.too_many_attempts": (
        "密码错误次数过多：请等待 {seconds} 秒后再试（等待期间正确的密码也不会被接受）。",
        "Too many wrong passwords: wait {seconds} s, then try again (until then even the right one is refused).",
    ),
    "auth.refused_title": ("OpsPlan 拒绝启动", "OpsPlan refuses to start"),
    "auth.refused_closed": (
        "访问控制的配置有误时，OpsPlan 不会不设防地开放。请管理员修正后刷新本页（见 docs/deploy.md）。",
        "OpsPlan does not open without the access control it was given. An administrator must fix this, then "
        "reload the page (see docs/deploy.md).",
    ),
    "auth.unparsable": (
        "无法解析访问控制配置文件 `{path}`（{where}）。",
        "The access configuration file `{path}` cannot be parsed ({where}).",
    ),
    "auth.no_login": (
        "secrets.toml 存在，但没有设置登录：请设置 `opsplan_password_hash`（密码）或 `[auth]`（单点登录）；"
        '有意不设登录请写 `opsplan_auth = "none"`。',
        "secrets.toml exists but sets no login: set `opsplan_password_hash` (a password) or `[auth]` (single "
        'sign-on); to open the app on purpose, write `opsplan_auth = "none"`.',
    ),
    "auth.bad_value": (
        'secrets 中的 `auth` 只能是 `[auth]` 单点登录配置；有意不设登录请写 `opsplan_auth = "none"`。',
        "In the secrets, `auth` can only be an `[auth]` single sign-on section; to open the app on purpose, write "
        '`opsplan_auth = "none"`.',
    ),
    "auth.bad_open": (
        '`opsplan_auth` 只能是 `"none"`（有意不设登录）。',
        '`opsplan_auth` can only be `"none"` (open on purpose).',
    ),
    "auth.bad_hash": (
        "`opsplan_password_hash` 不是 `python -m ui.auth` 生成的密码哈希。",
        "`opsplan_password_hash` is not a hash made by `python -m ui.auth`.",
    ),
    "auth.conflict": (
        '`opsplan_auth = "none"`（开放）与登录（`opsplan_password_hash` 或 `[auth]`）同时设置，无法确定本意。',
        '`opsplan_auth = "none"` (open) and a login (`opsplan_password_hash` or `[auth]`) are both set: which is '
        "meant is unclear.",
    ),
    "auth.oidc_incomplete": ("`[auth]` 缺少 `{missing}`。", "`[auth]` lacks `{missing}`."),
    "auth.no_authlib": (
        "`[auth]` 单点登录需要 Authlib：`pip install -r requirements.txt`。",
        "`[auth]` single sign-on needs Authlib: `pip install -r requirements.txt`.",
    ),
    "auth.remote_without_login": (
        "没有设置登录（没有 secrets.toml），而这个浏览器不在运行 OpsPlan 的机器上：未设登录的 OpsPlan 只对本机开放。",
        "No login is set (no secrets.toml) and this browser is not on the machine that runs OpsPlan: without a "
        "login OpsPlan opens only to that machine.",
    ),
}
