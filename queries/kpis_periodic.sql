-- grain: one row per grain (week / month), period, channel and campaign; the last period may be partial
-- keys: grain, period_start, channel, campaign_id; additive over channels and campaigns (a user has one)
-- implements: wau / mau (active_users), stickiness parts, and weekly / monthly revenue, paying_users, repurchase, arpu, arppu, paid_conversion
-- stored per grain in kpis_weekly_parts / kpis_monthly_parts; the period's label and days (the last period may
-- be partial), dau_mean and paid_new_users are applied here
WITH periods AS (
    SELECT grain, period_start, any_value(period) AS period, count(*) AS days
    FROM period_days
    GROUP BY ALL
),
parts AS (
    SELECT * FROM kpis_weekly_parts
    UNION ALL
    SELECT * FROM kpis_monthly_parts
)
SELECT
    k.grain, k.period_start, periods.period, k.channel, k.campaign_id, periods.days,
    k.new_users,
    CASE WHEN k.channel IN (SELECT channel FROM paid_channels) THEN k.new_users ELSE 0 END AS paid_new_users,
    k.active_users,
    k.dau_sum / periods.days AS dau_mean,
    k.revenue,
    k.paying_users,
    k.repeat_buyers,
    k.spend,
    k.impressions,
    k.clicks,
    k.referred_new_users,
    k.invited_new_users,
    k.inviters
FROM parts AS k
JOIN periods USING (grain, period_start)
