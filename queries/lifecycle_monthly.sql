-- grain: one row per calendar month, channel and campaign: users by lifecycle state (grain = 'month')
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with months instead of days
-- materialize: period_start month
WITH a AS (
    SELECT user_key, month_start AS period_start, CAST(date_trunc('month', signup_day) AS DATE) AS signup_start, channel, campaign_id
    FROM user_month_activity
    WHERE month_start >= CAST(coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') - INTERVAL 1 MONTH AS DATE)
),
-- the states of the days / periods from the cut; dormant needs only the active count of the one before
cur AS (
    SELECT
        a.period_start, a.channel, a.campaign_id,
        count(*) FILTER (WHERE a.signup_start IS NOT DISTINCT FROM a.period_start) AS new_users,
        count(*) FILTER (WHERE a.signup_start IS DISTINCT FROM a.period_start AND p.user_key IS NOT NULL)
            AS returning_users,
        count(*) FILTER (WHERE a.signup_start IS DISTINCT FROM a.period_start AND p.user_key IS NULL)
            AS resurrected_users,
        count(p.user_key) AS also_period_before
    FROM a
    LEFT JOIN a AS p ON p.user_key = a.user_key AND p.period_start = CAST(a.period_start - INTERVAL 1 MONTH AS DATE)
    WHERE a.period_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    GROUP BY ALL
),
prev AS (
    SELECT period_start, channel, campaign_id, count(*) AS active_users
    FROM a
    GROUP BY ALL
)
SELECT
    'month' AS grain,
    coalesce(cur.period_start, CAST(prev.period_start + INTERVAL 1 MONTH AS DATE)) AS period_start,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    coalesce(cur.new_users, 0) AS new_users,
    coalesce(cur.returning_users, 0) AS returning_users,
    coalesce(cur.resurrected_users, 0) AS resurrected_users,
    coalesce(prev.active_users, 0) - coalesce(cur.also_period_before, 0) AS dormant_users
FROM cur
FULL OUTER JOIN prev
    ON CAST(prev.period_start + INTERVAL 1 MONTH AS DATE) = cur.period_start AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
