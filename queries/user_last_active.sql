-- grain: one row per user: the last day active up to data_through
-- keys: user_id; days_inactive = data_through - last_active
-- implements: silent users (沉默用户): not active for the last K days (K from the plan, default 14)
-- the user's id and channel come back from the dictionaries (a user with events but no users row has a key too)
WITH last AS (
    SELECT
        a.user_key, a.segment_key, a.signup_day,
        max(a.date) AS last_active,
        date_diff('day', max(a.date), any_value(w.data_through)) AS days_inactive
    FROM user_day_activity AS a
    CROSS JOIN data_through AS w
    WHERE a.date <= w.data_through
    GROUP BY a.user_key, a.segment_key, a.signup_day
)
SELECT
    k.user_id, coalesce(s.channel, 'unknown') AS channel, coalesce(s.campaign_id, '') AS campaign_id,
    l.signup_day, l.last_active, l.days_inactive
FROM last AS l
JOIN _user_keys AS k USING (user_key)
LEFT JOIN _segments AS s USING (segment_key)
