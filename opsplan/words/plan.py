"""Words of the plan engine: statuses, states, rule and category labels, reasons, validation messages.

A plan's own ``label_zh`` / ``label_en`` (rules, categories, external metrics) come before the labels here;
a code with neither shows as written. Values arrive formatted (``opsplan.fmt``).
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # -- a target's status, a rule's state, an initiative's state --------------------------------------------
    "status.achieved": ("已达成", "achieved"),
    "status.on_track": ("正常", "on track"),
    "status.at_risk": ("有风险", "at risk"),
    "status.off_track": ("落后", "off track"),
    "status.missed": ("未达成", "missed"),
    "status.no_data": ("无数据", "no data"),
    "state.ok": ("正常", "ok"),
    "state.pending": ("观察中", "pending"),
    "state.firing": ("触发", "firing"),
    "state.resolved": ("已恢复", "resolved"),
    "state.no_data": ("无数据", "no data"),
    "state.not_judged": ("未判定", "not judged"),
    "state.initiative.not_started": ("未开始", "not started"),
    "state.initiative.running": ("进行中", "running"),
    "state.initiative.finished": ("已结束", "finished"),
    "state.initiative.unknown": ("日期不全", "dates missing"),
    "rule.severity.critical": ("严重", "critical"),
    "rule.severity.warning": ("警告", "warning"),
    # -- rules and budget categories a plan commonly names (its own label_zh / label_en come first) --------
    "rule.kind.roi_floor": ("ROI 止损线", "ROI floor"),
    "rule.kind.cac_ceiling": ("CAC 上限", "CAC ceiling"),
    "rule.kind.ctr_floor": ("点击率下限", "CTR floor"),
    "rule.kind.d1_floor": ("次日留存下限", "D1 retention floor"),
    "rule.kind.signup_cvr_floor": ("注册转化率下限", "Sign-up rate floor"),
    "category.acquisition": ("拉新", "Acquisition"),
    "category.retention": ("留存", "Retention"),
    "category.brand": ("品牌", "Brand"),
    "category.activation": ("激活", "Activation"),
    "category.referral": ("裂变", "Referral"),
    "category.content": ("内容", "Content"),
    "stage.names.startup": ("初创 初创期", "startup"),
    "stage.names.growth": ("成长 成长期", "growth"),
    "stage.names.mature": ("成熟 成熟期", "mature"),
    # -- reasons: why a target, an initiative or a rule reads as it does --------------------------------------
    "reason.all": ("全部", "all"),
    "reason.scope": ("（{scope}）", " ({scope})"),
    "reason.span_days": ("统计日 {span}", "days {span}"),
    "reason.span_cohorts": ("同期群 {span}", "cohorts {span}"),
    "reason.cumulative_over": (
        "{label}累计 {actual} / 目标 {target}（{done}），{span} 已结束 → {status}",
        "{label} {actual} of {target} ({done}); {span} is over → {status}",
    ),
    "reason.cumulative": (
        "{label}累计 {actual} / 目标 {target}（{done}），时间已过 {gone}；"
        "按近{days}天日均，期末预计 {forecast}（{then}）→ {status}",
        "{label} {actual} of {target} ({done}) with {gone} of the period gone; at the last {days} days' pace "
        "{forecast} ({then}) by the end → {status}",
    ),
    "reason.level_no_data": (
        "{label}近7天没有成熟数据 → {status}",
        "{label}: no mature data in the last 7 days → {status}",
    ),
    "reason.recent_days": ("近{days}天", "over the last {days} days"),
    "reason.recent_cohorts": ("近{days}个成熟同期群", "over the {days} latest mature cohorts"),
    "reason.week_over_week": ("，环比{change}", ", {change} week over week"),
    "reason.level": (
        "{label}{recent} {value}，目标 {target}{why}，差 {gap}{wow}，{window} → {status}",
        "{label} {value} {recent} vs target {target}{why} ({gap}){wow}, {window} → {status}",
    ),
    "reason.baseline_up": ("（基线 {baseline} 提升{change}）", " (baseline {baseline} {change})"),
    "reason.baseline_down": ("（基线 {baseline} 降低{change}）", " (baseline {baseline} {change})"),
    "reason.no_baseline": ("基线没有数据 → {status}", "no data for the baseline → {status}"),
    "reason.not_started": ("尚未开始", "not started"),
    "reason.flag_on_initiative": (
        "止损规则「{rule}」触发中（自 {since}）：{action}",
        "stop-loss {rule} firing since {since}: {action}",
    ),
    "reason.join": ("；", "; "),
    "reason.verdict": ("{reason}；{flags} → {status}", "{reason}; {flags} → {status}"),
    "reason.flag_tag": ("{rule}（{severity}）", "{rule} ({severity})"),
    "reason.where": ("（{where}）", " ({where})"),
    "reason.where_join": ("，", ", "),
    "reason.window_day": ("日 {span}", "day {span}"),
    "reason.window_days": ("日 {span}", "days {span}"),
    "reason.window_cohort": ("同期群 {span}", "cohort {span}"),
    "reason.window_cohorts": ("同期群 {span}", "cohorts {span}"),
    "reason.pooled": ("（合并 {days} 天花费 {spend}）", " ({days} days pooled, spend {spend})"),
    "reason.rule_not_judged": (
        "{label}{where} = {value}，花费 {spend} < 最低 {minimum}，{state}",
        "{label}{where} = {value}, spend {spend} < minimum {minimum}: {state}",
    ),
    "reason.rule": (
        "{label}{where} = {value}，规则 {op} {threshold}，{state}（自 {since}，连续 {days} 天）",
        "{label}{where} = {value}, rule {op} {threshold}: {state} since {since} ({days} day(s) in a row)",
    ),
    # -- plan validation: every issue in both languages ------------------------------------------------------
    "validate.located": ("{file}:{line}: {severity}:{where} {message}", "{file}:{line}: {severity}:{where} {message}"),
    "validate.severity.error": ("错误", "error"),
    "validate.severity.warning": ("警告", "warning"),
    "validate.duplicate_key": ("这个键写了两次", "this key appears twice"),
    "validate.yaml.invalid": ("不是有效的 YAML：{reason}", "not valid YAML: {reason}"),
    "validate.yaml.bad_character": (
        "不是有效的 YAML：计划里不能有字符 {char}",
        "not valid YAML: the character {char} is not allowed in a plan",
    ),
    "validate.yaml.not_a_real_date": ("{value} 不是真实存在的日期：{reason}", "{value} is not a real date: {reason}"),
    "validate.yaml.unreadable_value": ("{value} 无法读取：{reason}", "{value} cannot be read: {reason}"),
    "validate.yaml.unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
    "validate.yaml.alias_loop": ("别名指向了包含它自己的值", "an alias refers to the value that contains it"),
    "validate.yaml.merge": ("<< 只能合并映射，例如 <<: *defaults", "<< merges mappings, like <<: *defaults"),
    "validate.yaml.key_not_a_name": (
        "键必须是一个名字，不能是列表或映射",
        "a key must be a name, not a list or a mapping",
    ),
    "validate.unreadable_file": ("无法读取计划：{reason}", "cannot read the plan: {reason}"),
    "validate.kind.mapping": ("映射", "a mapping"),
    "validate.kind.list": ("列表", "a list"),
    "validate.kind.yes_no": ("是/否值", "a yes/no value"),
    "validate.kind.number": ("数字", "a number"),
    "validate.kind.date": ("日期", "a date"),
    "validate.kind.text": ("文本", "text"),
    "validate.kind.empty": ("空值", "empty"),
    "validate.show.yes_no": ("是/否值 {value}", "the yes/no value {value}"),
    "validate.not_a_number": ("{value} 不是数字", "{value} is not a number"),
    "validate.not_whole": ("{value} 不是整数", "{value} is not a whole number"),
    "validate.date_with_time": (
        "{value} 带有时刻：只使用日期 {day}",
        "{value} has a time of day: only the date {day} is used",
    ),
    "validate.not_a_date": ("{value} 不是日期（YYYY-MM-DD）", "{value} is not a date (YYYY-MM-DD)"),
    "validate.not_a_real_date": ("{value} 不是真实存在的日期：{reason}", "{value} is not a real date: {reason}"),
    "validate.not_single": ("必须是单个值，而不是{kind}（{value}）", "must be a single value, not {kind} ({value})"),
    "validate.not_kind": ("{expected}，而不是{kind}", "{expected}, not {kind}"),
    "validate.not_names": (
        "必须是{what}的列表，例如 [a, b]，而不是{kind}（{value}）",
        "must be a list of {what} like [a, b], not {kind} ({value})",
    ),
    "validate.not_a_name": ("必须是{what}之一，而不是{kind}", "must be one of the {what}, not {kind}"),
    "validate.unknown_field_close": (
        "未知字段 {field} — 是不是 {close}？",
        "unknown field {field} — did you mean {close}?",
    ),
    "validate.unknown_field": ("未知字段 {field}（已知：{known}）", "unknown field {field} (known: {known})"),
    "validate.not_entries": (
        "必须是列表（每项以 '- ' 开头），而不是{kind}",
        "must be a list (one '- ' entry each), not {kind}",
    ),
    "validate.not_fields": ("必须是字段的映射，而不是{kind}", "must be a mapping of fields, not {kind}"),
    "validate.scope_shape": (
        "scope 必须是 {channel: …} 或 {campaign: …}",
        "scope must be {channel: …} or {campaign: …}",
    ),
    "validate.scope_keys": (
        "未知的 scope 键 {keys}：请用 channel 或 campaign",
        "unknown scope key(s) {keys}: use channel or campaign",
    ),
    "validate.what.events": ("事件名", "event names"),
    "validate.what.metrics": ("指标名", "metric names"),
    "validate.what.scopes": ("渠道或活动名", "channel or campaign names"),
    "validate.what.target": ("目标", "target"),
    "validate.what.rule": ("止损规则", "stop-loss rule"),
    "validate.expect.plan": ("必须是 name、start、end 等字段的映射", "must be a mapping of name, start, end, …"),
    "validate.expect.settings": (
        "必须是 active_events、activation_event、silent_days 的映射",
        "must be a mapping of active_events, activation_event, silent_days",
    ),
    "validate.expect.cadence": (
        "必须把 daily / weekly / monthly 映射到指标名列表",
        "must map daily / weekly / monthly to lists of metric names",
    ),
    "validate.expect.playbook": (
        "必须把漏斗层映射到 {diagnosis: …, action: …}",
        "must map a funnel layer to {diagnosis: …, action: …}",
    ),
    "validate.expect.playbook_entry": (
        "应对手册的一项必须是 {diagnosis: …, action: …}",
        "a playbook entry must be {diagnosis: …, action: …}",
    ),
    "validate.expect.baseline_period": (
        "baseline_period 必须是 {start: YYYY-MM-DD, end: YYYY-MM-DD}",
        "baseline_period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}",
    ),
    "validate.expect.budget": (
        "budget 必须是映射（total、reserve、allocations）",
        "budget must be a mapping (total, reserve, allocations)",
    ),
    "validate.expect.channels": ("channels 必须把渠道映射到占比", "channels must map channel → share"),
    "validate.expect.event_metric": (
        "必须是 {count: 事件}、{users: 事件} 或 {ratio: [A, B]}",
        "must be {count: EVENT}, {users: EVENT} or {ratio: [A, B]}",
    ),
    "validate.empty_file": (
        "文件是空的：计划以 plan: {name, start, end} 开头，然后是 targets:、budget:、…",
        "the file is empty: a plan starts with plan: {name, start, end}, then targets:, budget:, …",
    ),
    "validate.not_a_plan": (
        "计划是包含 plan:、targets:、budget:、initiatives:、stop_loss: 的映射，而不是{kind}",
        "a plan is a mapping with plan:, targets:, budget:, initiatives:, stop_loss:, not {kind}",
    ),
    "validate.unknown_section": ("未知的部分 {section}（已知：{known}）", "unknown section {section} (known: {known})"),
    "validate.no_plan_section": (
        "缺少 plan: 部分（name、start、end）",
        "the plan: section (name, start, end) is missing",
    ),
    "validate.silent_days": ("silent_days {days} 至少为 1", "silent_days {days} must be at least 1"),
    "validate.target_kind": (
        "kind {value} 不是 cumulative、level、relative 之一",
        "kind {value} is not one of cumulative, level, relative",
    ),
    "validate.when": (
        'when {value} 必须是比较式，例如 "< 1.0" 或 ">= 120"',
        'when {value} must be a comparison like "< 1.0" or ">= 120"',
    ),
    "validate.pool_days": (
        "pool_days {days} 必须为 0 或更多（1 或 0：不合并）",
        "pool_days {days} must be 0 or more (1 or 0: no pooling)",
    ),
    "validate.event_metrics_shape": (
        "event_metrics 把名字映射到 {count: 事件} / {users: 事件} / {ratio: [a, b]}",
        "event_metrics maps a name to {count: event} / {users: event} / {ratio: [a, b]}",
    ),
    "validate.event_metric_empty": (
        "是空的：请写 {count: 事件}、{users: 事件} 或 {ratio: [A, B]}",
        "is empty: say {count: EVENT}, {users: EVENT} or {ratio: [A, B]}",
    ),
    "validate.ratio_shape": (
        "ratio 必须是两个指标名的列表 [分子, 分母]",
        "ratio must be a list of two metric names [numerator, denominator]",
    ),
    "validate.external_no_name": ("外部指标需要 name:", "an external metric needs name:"),
    "validate.no_metric": ("没有写指标", "no metric named"),
    "validate.unknown_metric": ("未知指标 {name}", "unknown metric {name}"),
    "validate.unknown_metric_close": (
        "未知指标 {name}；最接近的已知指标：{close}",
        "unknown metric {name}; closest known: {close}",
    ),
    "validate.unseen_channel": ("数据里从未出现过渠道 {channel}", "the data has never seen channel {channel}"),
    "validate.unseen_campaign": ("数据里从未出现过活动 {campaign}", "the data has never seen campaign {campaign}"),
    "validate.no_start": ("计划需要开始日期", "the plan needs a start date"),
    "validate.no_end": ("计划需要结束日期", "the plan needs an end date"),
    "validate.ends_before_start": (
        "计划的结束日（{end}）早于开始日（{start}）",
        "the plan ends ({end}) before it starts ({start})",
    ),
    "validate.stage": (
        "阶段 {stage} 不是 初创 / 成长 / 成熟（startup / growth / mature）",
        "stage {stage} is not startup / growth / mature",
    ),
    "validate.currency": (
        "货币 {currency} 不受支持：所有金额都以人民币（¥）显示，请写 CNY 或删去此项",
        "currency {currency} is not supported: every amount is shown in yuan (¥); write CNY or leave it out",
    ),
    "validate.id_twice": ("{what} id {id} 用了两次", "{what} id {id} is used twice"),
    "validate.relative_needs_change": (
        "相对目标需要 change:（例如 -0.15 表示降低15%）",
        "a relative target needs change: (e.g. -0.15 for a 15% cut)",
    ),
    "validate.relative_needs_baseline": (
        "相对目标需要 baseline:（一个数字）或 baseline_period: {start, end}",
        "a relative target needs baseline: (a number) or baseline_period: {start, end}",
    ),
    "validate.target_no_number": ("目标没有数字（target: …）", "the target has no number (target: …)"),
    "validate.not_additive": (
        "{metric} 不能按天累加：请用 kind: level",
        "{metric} does not add up over days: use kind: level",
    ),
    "validate.budget_total": ("预算需要一个正的总额", "the budget needs a positive total"),
    "validate.reserve_range": (
        "预留 {reserve} 必须是 0 到 1 之间的占比（例如 0.12）",
        "reserve {reserve} must be a share between 0 and 1 (e.g. 0.12)",
    ),
    "validate.reserve_usual": (
        "预留 {reserve} 不在常见的 10%–15% 之间",
        "reserve {reserve} is outside the usual 10–15%",
    ),
    "validate.shares_over": (
        "各项分配占比合计 {total}，超过 100%",
        "allocation shares add up to {total}, more than 100%",
    ),
    "validate.amounts_over": (
        "分配金额 {amounts} 使总预算 {total} 的预留不足 {reserve}",
        "allocated amounts {amounts} leave less than the {reserve} reserve of {total}",
    ),
    "validate.allocation_needs_share": (
        "分配项「{category}」需要 share: 或 amount:",
        "allocation {category} needs share: or amount:",
    ),
    "validate.negative_share": ("占比不能为负", "a share cannot be negative"),
    "validate.channel_shares_over": (
        "「{category}」的渠道占比合计 {total}，超过 100%",
        "channel shares of {category} add up to {total}, more than 100%",
    ),
    "validate.initiative_no_owner": ("举措 {name} 没有负责人", "initiative {name} has no owner"),
    "validate.initiative_ends_early": (
        "举措 {name} 的结束日（{end}）早于开始日（{start}）",
        "initiative {name} ends ({end}) before it starts ({start})",
    ),
    "validate.initiative_no_target": (
        "举措 {name} 写了指标但没有目标数字",
        "initiative {name} names a metric but no target number",
    ),
    "validate.per": ("per {per} 必须是 all、channel 或 campaign", "per {per} must be all, channel or campaign"),
    "validate.rule_severity": (
        "severity {level} 必须是 warning 或 critical",
        "severity {level} must be warning or critical",
    ),
    "validate.for_days": ("for_days 至少为 1", "for_days must be at least 1"),
    "validate.min_spend": (
        "min_spend {amount} 不能为负（0：每天都判定）",
        "min_spend {amount} cannot be negative (0: judge every day)",
    ),
    "validate.rule_no_action": (
        "规则「{rule}」没有应急预案（action）：请写明触发时怎么做",
        "rule {rule} has no action: say what to do when it fires",
    ),
    "validate.event_metric_kind": (
        "事件指标 {name} 需要 count:、users: 或 ratio: [a, b] 中的恰好一个",
        "event metric {name} needs exactly one of count:, users: or ratio: [a, b]",
    ),
    "validate.event_metric_builtin": (
        "事件指标 {name} 与内置指标同名",
        "event metric {name} has the name of a built-in metric",
    ),
    "validate.direction": ("direction {direction} 必须是 {known} 之一", "direction {direction} must be one of {known}"),
    "validate.cadence": (
        "cadence {report} 不是 daily、weekly 或 monthly",
        "cadence {report} is not daily, weekly or monthly",
    ),
}
