"""Words of loading and freshness: refusal reasons, stale-data notices, partial periods."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # the freshness notice (opsplan.store.freshness.Freshness.message); dates and counts come formatted
    "freshness.no_data": (
        "仓库里还没有数据（预期数据截至 {expected}）：先导入数据，今天才有可判断的依据。",
        "The warehouse holds no data yet (expected through {expected}): load data before trusting any verdict.",
    ),
    "freshness.stale": (
        "数据截至 {through}，比预期的 {expected} 晚 {days} 天：今天的判断基于旧数据。",
        "Data runs to {through}, {days} days behind the expected {expected}: today's verdicts rest on old data.",
    ),
    "freshness.stale_one_day": (
        "数据截至 {through}，比预期的 {expected} 晚 {days} 天：今天的判断基于旧数据。",
        "Data runs to {through}, {days} day behind the expected {expected}: today's verdicts rest on old data.",
    ),
    "freshness.current": (
        "数据截至 {through}，是最新的（预期 {expected}）。",
        "Data runs to {through}, current (expected {expected}).",
    ),
    "freshness.failed": (
        "最近一次导入失败（{table}，{when}，原因：{reason}）",
        "The last load failed ({table}, {when}, reason: {reason})",
    ),
    "freshness.failed.kept_data": (
        "：看板显示的是上一次成功导入的数据。",
        ": the dashboard shows the data of the last successful load.",
    ),
    "freshness.failed.no_data": ("。", "."),
    # a period the data covers only in part (opsplan.metrics.periods.Coverage)
    "period.days_covered": ("{days}/{total} 天", "{days} of {total} days"),
    "period.partial": ("{period}（部分：{covered}）", "{period} (partial: {covered})"),
    # a refused load (opsplan.store.refusals, validation, loading); the English is what the CLI prints
    "load.refused": ("导入 {table} 被拒绝，没有写入任何数据：", "load into {table} refused, nothing was written:"),
    "load.with_sample": ("{message}（{shown}）", "{message} ({shown})"),
    "load.no_input": ("至少给出一个文件", "give at least one file"),
    "load.only_header": ("只有表头，没有数据行", "only a header, no data rows"),
    "load.no_rows": ("没有数据行", "no rows"),
    "load.missing_columns": (
        "缺少必填列（表头里有：{known}）",
        "required column missing (the header has: {known})",
    ),
    "load.empty_required": ("必填值为空", "required value is empty"),
    "load.sub_cent": (
        "小数超过 {decimals} 位：金额按分存储，从不四舍五入（请在导出时取整）",
        "more than {decimals} decimals: amounts are stored to the cent, never rounded (round them in the export)",
    ),
    "load.short_year": (
        "两位数年份（26/01/05 会被读成 0026 年）：请写完整年份，例如 2026-01-05",
        "two-digit year (26/01/05 would be the year 0026): write the year in full, e.g. 2026-01-05",
    ),
    "load.not_type.timestamp": (
        "不是时间戳（例如 2026-01-05 08:30:00，可带 +08:00）",
        "not a timestamp (e.g. 2026-01-05 08:30:00, with or without +08:00)",
    ),
    "load.not_type.date": ("不是日期（例如 2026-01-05）", "not a date (e.g. 2026-01-05)"),
    "load.not_type.decimal": ("不是数字", "not a number"),
    "load.not_type.integer": ("不是整数", "not a whole number"),
    "load.not_type.number": ("不是有限的数字", "not a finite number"),
    "load.not_type.json": ("不是有效的 JSON", "not valid JSON"),
    "load.float_ids": (
        "文件把这一 ID 列存成了浮点数（ID 123 会变成 123.0，长 ID 会被舍入）：请把 ID 导出为文本（字符串列）",
        "the file stores this id column as floating-point numbers (an id 123 arrives as 123.0, a long one "
        "rounded): export ids as text (a string column)",
    ),
    "load.control_in_id": (
        "ID 里有控制字符（NUL 字节、制表符、换行、ESC …）：ID 必须是纯文本",
        "control character in an id (a NUL byte, tab, line break, escape …): an id must be plain text",
    ),
    "load.decimal_comma_odd": (
        "小数逗号（12,50），而这一列另有 {n} 个值用小数点（12.50）：同一文件只能用一种小数点",
        "decimal comma (12,50) while {n} other value(s) of this column use a decimal point (12.50): "
        "one file, one decimal mark",
    ),
    "load.decimal_point_odd": (
        "小数点（12.50），而这一列另有 {n} 个值用小数逗号（12,50）：同一文件只能用一种小数点",
        "decimal point (12.50) while {n} other value(s) of this column use a decimal comma (12,50): "
        "one file, one decimal mark",
    ),
    "load.ambiguous_number": (
        "数字有歧义：1,234 按小数点读是 1234，按小数逗号读是 1.234，而这一列没有别的值能说明用的是哪种；"
        "请写 1234 或 1234.00（或 1,234.00）",
        "ambiguous number: 1,234 is 1234 with a decimal point and 1.234 with a decimal comma, and no other "
        "value of this column shows which one this file uses; write 1234 or 1234.00 (or 1,234.00)",
    ),
    "load.day_too_early": (
        "日期早于 {earliest}，即数据最早可有的日期（${env}）；是占位值（如 1970-01-01）还是年份写错了？",
        "day before {earliest}, the earliest day data may have (${env}); "
        "a placeholder such as 1970-01-01 or a wrong year?",
    ),
    "load.day_too_late": (
        "日期晚于 {latest}，即数据最晚可有的日期（{zone}；${env}）：这一天还没到",
        "day after {latest}, the latest day data may have ({zone}; ${env}): it has not happened yet",
    ),
    "load.negative": ("不能为负数", "must not be negative"),
    "load.clicks_over_impressions": ("点击量超过曝光量", "clicks exceed impressions"),
    "load.bad_phase": ("phase 必须是 {phases} 之一", "phase must be one of {phases}"),
    "load.ends_before_start": ("结束日期早于开始日期", "ends before it starts"),
    "load.duplicate_key": ("重复的键 {value}{also}", "duplicate key {value}{also}"),
    "load.duplicate_also": ("（另见 {where}）", " (also {where})"),
    # a source that cannot be read at all (opsplan.store.csv_files, sources, sql_read)
    "source.not_text": (
        "既不是 UTF-8 也不是 GBK/GB18030 文本：不是 UTF-8（第 {at} 行的字节 0x{byte}），也不是 GB18030（{why}）；"
        "请另存为 UTF-8（Excel 里选“CSV UTF-8”）后重新导入",
        "neither UTF-8 nor GBK/GB18030 text: not UTF-8 (byte 0x{byte} at line {at}) and not GB18030 ({why}); "
        "save it as UTF-8 (in Excel: CSV UTF-8) and load it again",
    ),
    "source.why.bad_byte": (
        "第 {line} 行的字节 0x{byte} 不是任何 GB18030 字符的开头",
        "byte 0x{byte} at line {line} starts no GB18030 character",
    ),
    "source.why.cut_off": ("文件末尾第 {line} 行的字符被截断", "cut off in a character at the end, line {line}"),
    "source.why.uncommon": (
        "按 GB18030 读，{n} 个非 ASCII 字符中只有 {common} 个是常用汉字，例如第 {line} 行的 {sample}："
        "看起来像 Latin-1、Shift-JIS 或 Big5",
        "read as GB18030 only {common} of its {n} non-ASCII characters are common Chinese ones, "
        "e.g. {sample} at line {line}: it looks like Latin-1, Shift-JIS or Big5",
    ),
    "source.empty_file": ("文件是空的（0 字节，连表头都没有）", "the file is empty (0 bytes, not even a header line)"),
    "source.empty_header": (
        "第一行是空的：这里应是表头（列名）",
        "the first line is empty: expected the header (column names)",
    ),
    "source.duplicate_header": (
        "表头里的列 {columns} 出现了不止一次",
        "column(s) {columns} appear more than once in the header",
    ),
    "source.duplicate_columns": ("列 {columns} 出现了不止一次", "column(s) {columns} appear more than once"),
    "source.field_count": ("应有 {expected} 个字段，实际有 {found} 个", "expected {expected} fields, found {found}"),
    "source.bad_parquet": ("不是可读的 Parquet 文件（{reason}）", "not a readable Parquet file ({reason})"),
    "source.old_xls": (
        "不支持旧版 .xls 工作簿：请另存为 .xlsx",
        "old .xls workbooks are not supported: save it as .xlsx",
    ),
    "source.bad_excel": ("不是可读的 Excel 工作簿（{reason}）", "not a readable Excel workbook ({reason})"),
    "source.no_file": ("没有这个文件", "no such file"),
    "source.is_directory": ("这是一个文件夹，不是文件", "is a directory, not a file"),
    "source.unknown_type": (
        "未知的文件类型 {suffix}（请用 .csv、.parquet 或 .xlsx）",
        "unknown file type {suffix} (use .csv, .parquet or .xlsx)",
    ),
    "source.not_read_only": (
        "服务器没有把事务设为只读：什么都没有执行",
        "the server did not make the transaction read-only: nothing was run",
    ),
    "source.no_result_set": ("查询没有返回结果集（请用 SELECT）", "the query returned no result set (use a SELECT)"),
    "source.cannot_connect": ("无法连接（{detail}）", "cannot connect ({detail})"),
    "source.cannot_connect_logged": (
        "无法连接数据库（原因见服务器日志）",
        "cannot connect to the database (the server log says why)",
    ),
    "source.query_failed": ("查询失败（{detail}）", "query failed ({detail})"),
    "source.too_long": (
        "查询运行超过了 {seconds} 秒的时间上限（timeout_seconds）：请缩小查询范围（日期范围、更少的列），"
        "或请管理员放宽上限",
        "the query ran longer than the time limit of {seconds} s (timeout_seconds): "
        "narrow it (a date range, fewer columns) or ask the admin for a longer limit",
    ),
    "source.too_many": (
        "查询结果超过了 {limit} 行的上限（max_rows）：请缩小范围（例如日期范围），其余的分几次导入",
        "the query returns more than the row limit of {limit} rows (max_rows): "
        "narrow it (e.g. a date range) and load the rest in further imports",
    ),
    # a query a dashboard user typed, refused before it runs (opsplan.store.select_check)
    "query.empty": ("查询是空的：请给出一条 SELECT", "the query is empty: give one SELECT"),
    "query.mysql_comment": (
        "MySQL 可执行注释 /*! … */ 会作为代码运行：请去掉它们再写 SQL",
        "MySQL executable comments /*! … */ run as code: write the SQL without them",
    ),
    "query.not_select": (
        "只能运行 SELECT，不能运行 {kind}（导入从不修改数据库）",
        "only a SELECT may run, not {kind} (imports never change the database)",
    ),
    "query.statements": (
        "{n} 条语句（{kinds}）：请只给一条 SELECT",
        "{n} statements ({kinds}): give exactly one SELECT",
    ),
    "query.into": (
        "SELECT … INTO 会写入表或文件：只能运行普通的 SELECT",
        "SELECT … INTO writes a table or a file: only a plain SELECT may run",
    ),
    "query.lock": (
        "SELECT … FOR UPDATE / FOR SHARE 会锁定行：只能运行普通的 SELECT",
        "SELECT … FOR UPDATE / FOR SHARE locks rows: only a plain SELECT may run",
    ),
    "query.changes": (
        "查询里有 {kind}，它会修改数据库：只能运行 SELECT",
        "the query holds {kind}, which changes the database: only a SELECT may run",
    ),
    "query.function_name": (
        "函数名 {name} 不是普通名称（转义或加引号的名称会被拒绝）",
        "the function name {name} is not a plain name (escaped or quoted names are refused)",
    ),
    "query.denied_function": (
        "不能调用 {called}()：它会读取文件、连接其他服务器或操作服务器",
        "{called}() may not be called: it reads files, reaches other servers or acts on the server",
    ),
    "query.unreadable": (
        "无法读成一条 {dialect} SELECT（{where}）",
        "could not be read as one {dialect} SELECT ({where})",
    ),
    # a named connection a page asked for (opsplan.store.connections); "—" when there is none to list
    "connection.no_saved_query": (
        "{label} 没有名为 {name} 的已存查询（已存：{known}）",
        "{label} has no saved query {name} (saved: {known})",
    ),
    "connection.none_saved": ("无", "none"),
    "connection.none_configured": ("未配置任何连接", "none is configured"),
    "connection.refused": ("连接 {name} 无法使用：{reason}", "connection {name} cannot be used: {reason}"),
    "connection.unknown": (
        "没有名为 {name} 的连接（可用连接：{known}）",
        "no connection named {name} (connections: {known})",
    ),
}
