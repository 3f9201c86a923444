-- grain: one row per grain (week / month), period, channel and campaign; the last period may be partial
-- keys: grain, period_start, channel, campaign_id; additive over channels and campaigns (a user has one)
-- implements: wau / mau (active_users), stickiness parts, and weekly / monthly revenue, paying_users, repurchase, arpu, arppu, paid_conversion
WITH buyer AS (
    SELECT
        p.grain, p.period_start,
        coalesce(u.channel, 'unknown') AS channel, coalesce(u.campaign_id, '') AS campaign_id, o.user_id,
        count(*) FILTER (WHERE o.amount > 0) AS positive_orders
    FROM orders AS o
    JOIN period_days AS p ON p.date = o.paid_day
    LEFT JOIN users AS u USING (user_id)
    GROUP BY ALL
),
buyers AS (
    SELECT
        grain, period_start, channel, campaign_id,
        count(*) FILTER (WHERE positive_orders >= 1) AS paying_users,
        count(*) FILTER (WHERE positive_orders >= 2) AS repeat_buyers
    FROM buyer
    GROUP BY ALL
),
inv AS (
    SELECT p.grain, p.period_start, coalesce(r.channel, 'unknown') AS channel,
        coalesce(r.campaign_id, '') AS campaign_id, count(DISTINCT u.referrer_id) AS inviters
    FROM users AS u
    JOIN period_days AS p ON p.date = u.signup_day
    LEFT JOIN users AS r ON r.user_id = u.referrer_id
    WHERE u.referrer_id IS NOT NULL
    GROUP BY ALL
),
active AS (
    SELECT 'week' AS grain, week_start AS period_start, channel, campaign_id, wau AS active_users FROM activity_weekly
    UNION ALL
    SELECT 'month' AS grain, month_start AS period_start, channel, campaign_id, mau AS active_users
    FROM activity_monthly
),
daily AS (
    SELECT
        p.grain, p.period_start, k.channel, k.campaign_id,
        sum(k.new_users) AS new_users, sum(k.paid_new_users) AS paid_new_users, sum(k.active_users) AS dau_sum,
        sum(k.revenue) AS revenue, sum(k.spend) AS spend, sum(k.impressions) AS impressions,
        sum(k.clicks) AS clicks, sum(k.referred_new_users) AS referred_new_users,
        sum(k.invited_new_users) AS invited_new_users
    FROM kpis_daily AS k
    JOIN period_days AS p USING (date)
    GROUP BY ALL
),
periods AS (
    SELECT grain, period_start, any_value(period) AS period, count(*) AS days
    FROM period_days
    GROUP BY ALL
),
keys AS (
    SELECT grain, period_start, channel, campaign_id FROM daily
    UNION SELECT grain, period_start, channel, campaign_id FROM active
    UNION SELECT grain, period_start, channel, campaign_id FROM inv
)
SELECT
    k.grain, k.period_start, periods.period, k.channel, k.campaign_id, periods.days,
    coalesce(d.new_users, 0) AS new_users,
    coalesce(d.paid_new_users, 0) AS paid_new_users,
    coalesce(a.active_users, 0) AS active_users,
    coalesce(d.dau_sum, 0) / periods.days AS dau_mean,
    coalesce(d.revenue, 0) AS revenue,
    coalesce(b.paying_users, 0) AS paying_users,
    coalesce(b.repeat_buyers, 0) AS repeat_buyers,
    coalesce(d.spend, 0) AS spend,
    coalesce(d.impressions, 0) AS impressions,
    coalesce(d.clicks, 0) AS clicks,
    coalesce(d.referred_new_users, 0) AS referred_new_users,
    coalesce(d.invited_new_users, 0) AS invited_new_users,
    coalesce(inv.inviters, 0) AS inviters
FROM keys AS k
JOIN periods USING (grain, period_start)
LEFT JOIN daily AS d USING (grain, period_start, channel, campaign_id)
LEFT JOIN active AS a USING (grain, period_start, channel, campaign_id)
LEFT JOIN buyers AS b USING (grain, period_start, channel, campaign_id)
LEFT JOIN inv USING (grain, period_start, channel, campaign_id)
