-- grain: one row per calendar month, channel and campaign: users by lifecycle state (grain = 'month')
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with months instead of days
-- sums of activity_channel_parts over each user's first active day of the month (see lifecycle_weekly)
WITH p AS (
    SELECT
        CAST(date_trunc('month', date) AS DATE) AS period_start,
        CAST(date_trunc('month', signup_day) AS DATE) AS signup_start,
        channel, campaign_id, first_in_month AS users, first_in_month_active_month_before AS before
    FROM activity_channel_parts
),
cur AS (
    SELECT
        period_start, channel, campaign_id,
        sum(users) FILTER (WHERE signup_start IS NOT DISTINCT FROM period_start) AS new_users,
        sum(before) FILTER (WHERE signup_start IS DISTINCT FROM period_start) AS returning_users,
        sum(users - before) FILTER (WHERE signup_start IS DISTINCT FROM period_start) AS resurrected_users,
        sum(before) AS also_period_before,
        sum(users) AS active_users
    FROM p
    GROUP BY ALL
    HAVING sum(users) > 0
)
SELECT
    'month' AS grain,
    coalesce(cur.period_start, CAST(prev.period_start + INTERVAL 1 MONTH AS DATE)) AS period_start,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    CAST(coalesce(cur.new_users, 0) AS BIGINT) AS new_users,
    CAST(coalesce(cur.returning_users, 0) AS BIGINT) AS returning_users,
    CAST(coalesce(cur.resurrected_users, 0) AS BIGINT) AS resurrected_users,
    CAST(coalesce(prev.active_users, 0) - coalesce(cur.also_period_before, 0) AS BIGINT) AS dormant_users
FROM cur
FULL OUTER JOIN cur AS prev
    ON CAST(prev.period_start + INTERVAL 1 MONTH AS DATE) = cur.period_start
        AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
