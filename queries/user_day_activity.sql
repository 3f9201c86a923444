-- grain: one row per user and day the user was active: an event (only the plan's active_events when
-- it names some) or the signup day; carries the user's channel, campaign and signup day
-- materialize: date
WITH roles AS (SELECT event_name FROM _event_roles WHERE role = 'active'),
days AS (
    SELECT user_key, event_day AS date FROM events
    WHERE (NOT EXISTS (SELECT 1 FROM roles) OR event_name IN (SELECT event_name FROM roles))
        AND event_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    UNION
    SELECT user_key, signup_day AS date FROM users WHERE signup_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
)
SELECT
    d.user_key,
    d.date,
    u.signup_day,
    coalesce(u.channel, 'unknown') AS channel,
    coalesce(u.campaign_id, '') AS campaign_id
FROM days AS d
LEFT JOIN users AS u USING (user_key)
