-- grain: one row per day, channel and campaign: users by lifecycle state that day
-- keys: date, channel, campaign_id; new = signed up on d, returning = active d and d-1, resurrected = active d, not d-1, not new, dormant = active d-1, not d
-- materialize: date
-- one self-join: dormant on d = active on d-1 minus those of them active on d too (a user keeps one channel)
WITH a AS (
    SELECT user_key, date, signup_day, channel, campaign_id
    FROM user_day_activity
    WHERE date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') - 1
),
-- the states of the days / periods from the cut; dormant needs only the active count of the one before
cur AS (
    SELECT
        a.date, a.channel, a.campaign_id,
        count(*) FILTER (WHERE a.signup_day IS NOT DISTINCT FROM a.date) AS new_users,
        count(*) FILTER (WHERE a.signup_day IS DISTINCT FROM a.date AND p.user_key IS NOT NULL) AS returning_users,
        count(*) FILTER (WHERE a.signup_day IS DISTINCT FROM a.date AND p.user_key IS NULL) AS resurrected_users,
        count(p.user_key) AS also_day_before
    FROM a
    LEFT JOIN a AS p ON p.user_key = a.user_key AND p.date = a.date - 1
    WHERE a.date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    GROUP BY ALL
),
prev AS (
    SELECT date, channel, campaign_id, count(*) AS active_users
    FROM a
    GROUP BY ALL
)
SELECT
    coalesce(cur.date, prev.date + 1) AS date,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    coalesce(cur.new_users, 0) AS new_users,
    coalesce(cur.returning_users, 0) AS returning_users,
    coalesce(cur.resurrected_users, 0) AS resurrected_users,
    coalesce(prev.active_users, 0) - coalesce(cur.also_day_before, 0) AS dormant_users
FROM cur
FULL OUTER JOIN prev
    ON prev.date + 1 = cur.date AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
