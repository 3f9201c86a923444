-- grain: one row per ISO week, channel and campaign: users by lifecycle state (grain = 'week')
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with weeks instead of days
-- materialize: period_start week
WITH a AS (
    SELECT user_key, week_start AS period_start, CAST(date_trunc('week', signup_day) AS DATE) AS signup_start, channel, campaign_id
    FROM user_week_activity
    WHERE week_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') - 7
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
    LEFT JOIN a AS p ON p.user_key = a.user_key AND p.period_start = a.period_start - 7
    WHERE a.period_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    GROUP BY ALL
),
prev AS (
    SELECT period_start, channel, campaign_id, count(*) AS active_users
    FROM a
    GROUP BY ALL
)
SELECT
    'week' AS grain,
    coalesce(cur.period_start, prev.period_start + 7) AS period_start,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    coalesce(cur.new_users, 0) AS new_users,
    coalesce(cur.returning_users, 0) AS returning_users,
    coalesce(cur.resurrected_users, 0) AS resurrected_users,
    coalesce(prev.active_users, 0) - coalesce(cur.also_period_before, 0) AS dormant_users
FROM cur
FULL OUTER JOIN prev
    ON prev.period_start + 7 = cur.period_start AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
