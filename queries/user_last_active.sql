-- grain: one row per user: the last day active up to data_through
-- keys: user_id; days_inactive = data_through - last_active
-- implements: silent users (沉默用户): not active for the last K days (K from the plan, default 14)
SELECT
    a.user_id, a.channel, a.campaign_id, a.signup_day,
    max(a.date) AS last_active,
    any_value(w.data_through) - max(a.date) AS days_inactive
FROM user_day_activity AS a
CROSS JOIN data_through AS w
WHERE a.date <= w.data_through
GROUP BY a.user_id, a.channel, a.campaign_id, a.signup_day
