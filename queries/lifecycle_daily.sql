-- grain: one row per day, channel and campaign: users by lifecycle state that day
-- keys: date, channel, campaign_id; new = signed up on d, returning = active d and d-1, resurrected = active d, not d-1, not new, dormant = active d-1, not d
-- materialize: date
WITH cur AS (
    SELECT
        a.date, a.channel, a.campaign_id,
        count(*) FILTER (WHERE a.signup_day IS NOT DISTINCT FROM a.date) AS new_users,
        count(*) FILTER (WHERE a.signup_day IS DISTINCT FROM a.date AND p.user_id IS NOT NULL) AS returning_users,
        count(*) FILTER (WHERE a.signup_day IS DISTINCT FROM a.date AND p.user_id IS NULL) AS resurrected_users
    FROM user_day_activity AS a
    LEFT JOIN user_day_activity AS p ON p.user_id = a.user_id AND p.date = a.date - 1
    GROUP BY ALL
),
dorm AS (
    SELECT p.date + 1 AS date, p.channel, p.campaign_id, count(*) AS dormant_users
    FROM user_day_activity AS p
    LEFT JOIN user_day_activity AS n ON n.user_id = p.user_id AND n.date = p.date + 1
    WHERE n.user_id IS NULL
    GROUP BY ALL
)
SELECT
    date, channel, campaign_id,
    coalesce(cur.new_users, 0) AS new_users,
    coalesce(cur.returning_users, 0) AS returning_users,
    coalesce(cur.resurrected_users, 0) AS resurrected_users,
    coalesce(dorm.dormant_users, 0) AS dormant_users
FROM cur
FULL OUTER JOIN dorm USING (date, channel, campaign_id)
