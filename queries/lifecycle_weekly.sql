-- grain: one row per ISO week, channel and campaign: users by lifecycle state (grain = 'week')
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with weeks instead of days
-- sums of activity_channel_parts over each user's first active day of the week: new = signed up that week, returning =
-- active the week before too, resurrected = neither, dormant = active the week before, not this one
WITH p AS (
    SELECT
        CAST(date_trunc('week', date) AS DATE) AS period_start,
        CAST(date_trunc('week', signup_day) AS DATE) AS signup_start,
        channel, campaign_id, first_in_week AS users, first_in_week_active_week_before AS before
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
    'week' AS grain,
    coalesce(cur.period_start, prev.period_start + 7) AS period_start,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    CAST(coalesce(cur.new_users, 0) AS BIGINT) AS new_users,
    CAST(coalesce(cur.returning_users, 0) AS BIGINT) AS returning_users,
    CAST(coalesce(cur.resurrected_users, 0) AS BIGINT) AS resurrected_users,
    CAST(coalesce(prev.active_users, 0) - coalesce(cur.also_period_before, 0) AS BIGINT) AS dormant_users
FROM cur
FULL OUTER JOIN cur AS prev
    ON prev.period_start + 7 = cur.period_start AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
