"""Words of the Weekly review and Data pages, and the column headings of their tables (``col.``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # weekly review
    "review.purpose": (
        "周会用的周报：先给结论，再看核心指标对比上周与目标、为什么变化、下周行动与负责人、目标、止损、渠道、"
        "关键举措、同期群和预算；可下载 Markdown 或离线可看的 HTML。",
        "The Monday review of an ISO week: its conclusions first, then the KPIs against last week and the "
        "targets, why they moved, next week's actions and owners, targets, flags, channels, initiatives, cohorts "
        "and budget; download it as Markdown or as an HTML file that opens offline.",
    ),
    "review.week": ("周（ISO 周，周一至周日）", "Week (ISO, Monday to Sunday)"),
    "review.week_option": ("{week}（{start} – {end}）", "{week} ({start} – {end})"),
    "review.partial": (
        "这一周还没过完（数据截至 {through}），数字只到截至日。",
        "This week is not over yet (data through {through}); its numbers stop there.",
    ),
    "review.md": ("下载 Markdown", "Download Markdown"),
    "review.html": ("下载 HTML（离线可看）", "Download HTML (opens offline)"),
    # data
    "data.purpose": (
        "导入自己的数据（CSV / Excel / Parquet 文件，或团队数据库的查询），查看每张表的新鲜度和导入记录，"
        "以及指标口径。",
        "Bring your own data in (CSV / Excel / Parquet files, or a query on the team's database), see how "
        "fresh each table is and every load, and read the metric glossary.",
    ),
    "data.upload": ("上传文件", "Upload files"),
    "data.table": ("导入到哪张表", "Table"),
    "data.files": ("文件（UTF-8、GBK 编码的 CSV，Excel，Parquet）", "Files (CSV in UTF-8 or GBK, Excel, Parquet)"),
    "data.load": ("校验并导入", "Validate and load"),
    "data.all_or_nothing": (
        "先校验全部行，全部通过才写入；有任何问题则一行都不写。",
        "Every row is checked first; only a clean file is written, otherwise nothing is.",
    ),
    "data.refused": (
        "{source}：导入被拒绝，仓库没有任何改动。请修正下面的问题后重试：",
        "{source}: the load was refused and nothing was written. Fix these and try again:",
    ),
    "data.loaded": (
        "已导入 {table}：读取 {read} 行，写入 {stored} 行。",
        "Loaded {table}: {read} rows read, {stored} stored.",
    ),
    "data.columns": (
        "必填列：{required}；可选列：{optional}。按 {keys} 重复的行会替换已有的行。",
        "Required columns: {required}; optional: {optional}. Rows with the same {keys} replace the stored ones.",
    ),
    "data.sql": ("从数据库导入", "Import from a database"),
    "data.connection": ("数据库连接", "Database connection"),
    "data.connection_help": (
        "管理员在 secrets 中配置的连接；连接串和密码不会显示，导入记录只写连接名。",
        "A connection the admin configured in the secrets; its URL and password are never shown, the load "
        "history names only the connection.",
    ),
    "data.no_connections": (
        '还没有配置数据库连接。管理员在 .streamlit/secrets.toml 中添加 [connections.名称]，写上 url = "…"'
        "（可选 max_rows、timeout_seconds 和 [connections.名称.queries] 保存的查询）后，这里就能按名称选择。",
        'No database connection is configured. An admin adds [connections.NAME] with url = "…" (optional '
        "max_rows, timeout_seconds and saved queries in [connections.NAME.queries]) to .streamlit/secrets.toml; "
        "then it can be picked here by name.",
    ),
    "data.connection_refused": ("连接 {name} 不能使用：{reason}", "Connection {name} cannot be used: {reason}"),
    "data.saved_query": ("查询", "Query"),
    "data.typed_query": ("自己写一条 SELECT", "Type a SELECT"),
    "data.query": ("SELECT 查询", "SELECT query"),
    "data.sql_rules": (
        "只运行一条 SELECT（不能增删改、建表或调用读文件的函数），在只读事务中执行；最多 {rows} 行、{seconds} 秒。",
        "Runs exactly one SELECT (nothing that writes, no DDL, no file functions) in a read-only transaction; "
        "at most {rows} rows and {seconds} s.",
    ),
    "data.run": ("运行查询并导入", "Run the query and load"),
    "data.fresh": ("新鲜度", "Freshness"),
    "data.fresh_title": ("每张表的新鲜度", "Freshness of each table"),
    "data.history": ("导入记录", "Load history"),
    "data.engine_duckdb": (
        "计算引擎：DuckDB（数据和指标都在本仓库文件里）",
        "Engine: DuckDB (rows and metrics in this warehouse file)",
    ),
    "data.engine_chdb": (
        "计算引擎：ClickHouse（嵌入式 chdb，{where}）。明细数据在 ClickHouse，看板读取每次导入后复制回来的指标视图。",
        "Engine: ClickHouse (embedded chdb, {where}). The rows stay in ClickHouse; the pages read the views copied "
        "back after each load.",
    ),
    "data.engine_clickhouse": (
        "计算引擎：ClickHouse 服务器（{where}）。明细数据在 ClickHouse，看板读取每次导入后复制回来的指标视图。",
        "Engine: ClickHouse server ({where}). The rows stay in ClickHouse; the pages read the views copied back "
        "after each load.",
    ),
    "data.glossary": ("指标口径", "Metric glossary"),
    # plan pages' shared words
    "plan.over_pace": ("花费快于预算进度", "spending ahead of the budget's pace"),
    "plan.over_pace_warning": ("**{title}**：{channels}（{why}）", "**{title}**: {channels} ({why})"),
    "plan.list_sep": ("、", "; "),
    "plan.over_pace_list": ("超速渠道", "Over-pace channels"),
    "plan.burn_by_channel": ("各渠道累计花费与计划进度", "Cumulative spend vs planned pace per channel"),
    "plan.total": ("全部预算", "Whole budget"),
    "plan.actual": ("实际", "Actual"),
    "plan.pace": ("计划进度", "Planned pace"),
    "plan.since": ("自", "since"),
    "plan.spent_share": ("已花费（占可用预算）", "Spent of the spendable budget"),
    "plan.why": ("说明", "Why"),
    "plan.not_judged": ("计划有错误，未评估", "The plan has errors, not judged"),
    "plan.not_judged_hint": (
        "以下每个问题都标明了文件和行号；改正计划文件后刷新页面即可重新评估（也可运行 `opsplan plan validate`）。"
        "在此之前，目标、预算、举措和止损规则都没有被判断，页面上没有任何结论。",
        "Each problem below names its file and line; fix the plan file and reload to judge again (or run "
        "`opsplan plan validate`). Until then no target, budget, initiative or stop-loss rule has been judged, "
        "and nothing on this page is a verdict.",
    ),
    "plan.rule_error": ("⛔ 错误 · 未评估", "⛔ error · not judged"),
    # column headings of the freshness, load-history and glossary tables
    "col.table": ("表", "table"),
    "col.table_name": ("表", "table"),
    "col.rows": ("行数", "rows"),
    "col.first_day": ("最早日期", "first day"),
    "col.latest_day": ("最新日期", "latest day"),
    "col.last_load": ("最近导入编号", "last load"),
    "col.loaded_at": ("导入时间", "loaded at"),
    "col.load_id": ("导入编号", "load"),
    "col.source": ("来源", "source"),
    "col.rows_in": ("读取行数", "rows read"),
    "col.rows_stored": ("写入行数", "rows stored"),
    "col.rows_replaced": ("替换行数", "rows replaced"),
    "col.rows_rejected": ("拒绝行数", "rows rejected"),
    "col.checksum": ("校验和", "checksum"),
    "col.min_day": ("起", "from"),
    "col.max_day": ("止", "to"),
    "col.name": ("指标", "metric"),
    "col.label_zh": ("中文名", "Chinese label"),
    "col.label_en": ("英文名", "English label"),
    "col.unit": ("单位", "unit"),
    "col.direction": ("方向", "direction"),
    "col.grains": ("粒度", "grains"),
    "col.definition": ("定义", "definition"),
    # the contract's tables, the registry's units, directions and grains, by their labels
    "table.users": ("用户", "Users"),
    "table.events": ("事件", "Events"),
    "table.orders": ("订单", "Orders"),
    "table.ad_spend": ("广告花费", "Ad spend"),
    "table.campaigns": ("活动", "Campaigns"),
    "table.external_metrics": ("外部指标", "External metrics"),
    "unit.count": ("计数", "count"),
    "unit.currency": ("金额", "money"),
    "unit.percent": ("比率", "percent"),
    "unit.ratio": ("倍数", "ratio"),
    "direction.up": ("越高越好", "higher is better"),
    "direction.down": ("越低越好", "lower is better"),
    "direction.neutral": ("中性", "neutral"),
    "grain.day": ("日", "day"),
    "grain.week": ("周", "week"),
    "grain.month": ("月", "month"),
    "grain.cohort": ("同期群", "cohort"),
    "grain.total": ("合计", "total"),
    "data.list_sep": ("、", ", "),
}
