-- grain: one row per calendar month, channel and campaign (grain = 'month'), counting the days up to data_through
-- keys: grain, period_start, channel, campaign_id; the stored part of kpis_periodic (which adds the period's label,
-- its days, dau_mean and paid_new_users); refreshed from the cut, and from the old data_through when it moves
-- materialize: period_start month
WITH w AS (SELECT data_through FROM data_through),
buyer AS (
    SELECT
        CAST(date_trunc('month', o.paid_day) AS DATE) AS period_start,
        coalesce(u.channel, 'unknown') AS channel, coalesce(u.campaign_id, '') AS campaign_id, o.user_key,
        count(*) FILTER (WHERE o.amount > 0) AS positive_orders
    FROM orders AS o
    CROSS JOIN w
    LEFT JOIN users AS u USING (user_key)
    WHERE ($cut IS NULL OR o.paid_day >= $cut) AND o.paid_day <= w.data_through
    GROUP BY ALL
),
buyers AS (
    SELECT
        period_start, channel, campaign_id,
        count(*) FILTER (WHERE positive_orders >= 1) AS paying_users,
        count(*) FILTER (WHERE positive_orders >= 2) AS repeat_buyers
    FROM buyer
    GROUP BY ALL
),
inv AS (
    SELECT CAST(date_trunc('month', u.signup_day) AS DATE) AS period_start, coalesce(r.channel, 'unknown') AS channel,
        coalesce(r.campaign_id, '') AS campaign_id, count(DISTINCT u.referrer_key) AS inviters
    FROM users AS u
    CROSS JOIN w
    LEFT JOIN users AS r ON r.user_key = u.referrer_key
    WHERE u.referrer_key IS NOT NULL AND ($cut IS NULL OR u.signup_day >= $cut) AND u.signup_day <= w.data_through
    GROUP BY ALL
),
active AS (
    SELECT a.month_start AS period_start, a.channel, a.campaign_id, a.mau AS active_users
    FROM activity_monthly AS a
    CROSS JOIN w
    WHERE ($cut IS NULL OR a.month_start >= $cut) AND a.month_start <= w.data_through
),
daily AS (
    SELECT
        CAST(date_trunc('month', k.date) AS DATE) AS period_start, k.channel, k.campaign_id,
        sum(k.new_users) AS new_users, sum(k.active_users) AS dau_sum,
        sum(k.revenue) AS revenue, sum(k.spend) AS spend, sum(k.impressions) AS impressions,
        sum(k.clicks) AS clicks, sum(k.referred_new_users) AS referred_new_users,
        sum(k.invited_new_users) AS invited_new_users
    FROM kpis_daily_parts AS k
    CROSS JOIN w
    WHERE ($cut IS NULL OR k.date >= $cut) AND k.date <= w.data_through
    GROUP BY ALL
),
keys AS (
    SELECT period_start, channel, campaign_id FROM daily
    UNION SELECT period_start, channel, campaign_id FROM active
    UNION SELECT period_start, channel, campaign_id FROM inv
)
SELECT
    'month' AS grain, k.period_start, k.channel, k.campaign_id,
    coalesce(d.new_users, 0) AS new_users,
    coalesce(a.active_users, 0) AS active_users,
    coalesce(d.dau_sum, 0) AS dau_sum,
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
LEFT JOIN daily AS d USING (period_start, channel, campaign_id)
LEFT JOIN active AS a USING (period_start, channel, campaign_id)
LEFT JOIN buyers AS b USING (period_start, channel, campaign_id)
LEFT JOIN inv USING (period_start, channel, campaign_id)
