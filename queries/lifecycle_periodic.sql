-- grain: one row per grain (week / month), period, channel and campaign: users by lifecycle state
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with periods instead of days
-- materialize: period_start month lookback 6
WITH up AS (
    SELECT 'week' AS grain, user_id, week_start AS period_start, week_start - 7 AS prev_start,
        week_start + 7 AS next_start, CAST(date_trunc('week', signup_day) AS DATE) AS signup_start, channel, campaign_id
    FROM user_week_activity
    UNION ALL
    SELECT 'month', user_id, month_start, CAST(month_start - INTERVAL 1 MONTH AS DATE),
        CAST(month_start + INTERVAL 1 MONTH AS DATE), CAST(date_trunc('month', signup_day) AS DATE), channel, campaign_id
    FROM user_month_activity
),
cur AS (
    SELECT
        a.grain, a.period_start, a.channel, a.campaign_id,
        count(*) FILTER (WHERE a.signup_start IS NOT DISTINCT FROM a.period_start) AS new_users,
        count(*) FILTER (WHERE a.signup_start IS DISTINCT FROM a.period_start AND p.user_id IS NOT NULL)
            AS returning_users,
        count(*) FILTER (WHERE a.signup_start IS DISTINCT FROM a.period_start AND p.user_id IS NULL)
            AS resurrected_users
    FROM up AS a
    LEFT JOIN up AS p ON p.grain = a.grain AND p.user_id = a.user_id AND p.period_start = a.prev_start
    GROUP BY ALL
),
dorm AS (
    SELECT p.grain, p.next_start AS period_start, p.channel, p.campaign_id, count(*) AS dormant_users
    FROM up AS p
    LEFT JOIN up AS n ON n.grain = p.grain AND n.user_id = p.user_id AND n.period_start = p.next_start
    WHERE n.user_id IS NULL
    GROUP BY ALL
)
SELECT
    grain, period_start, channel, campaign_id,
    coalesce(cur.new_users, 0) AS new_users,
    coalesce(cur.returning_users, 0) AS returning_users,
    coalesce(cur.resurrected_users, 0) AS resurrected_users,
    coalesce(dorm.dormant_users, 0) AS dormant_users
FROM cur
FULL OUTER JOIN dorm USING (grain, period_start, channel, campaign_id)
