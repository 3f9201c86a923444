-- grain: one row per day, signup day and segment with an active user, the segment shown as channel and campaign
-- keys: date, signup_day, channel, campaign_id (a user with no users row is channel 'unknown', campaign '';
-- a users row may say the same: views sum over these keys, they never assume one row per key)
SELECT
    p.date,
    p.signup_day,
    coalesce(s.channel, 'unknown') AS channel,
    coalesce(s.campaign_id, '') AS campaign_id,
    p.users,
    p.active_day_before,
    p.first_in_week,
    p.first_in_week_active_week_before,
    p.first_in_month,
    p.first_in_month_active_month_before
FROM activity_parts AS p
LEFT JOIN _segments AS s USING (segment_key)
