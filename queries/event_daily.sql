-- grain: one row per day, event name, channel and campaign
-- keys: date, event_name, channel, campaign_id; events = rows, users = distinct users doing it that day
-- implements: event metrics of the plan (count of an event, distinct users doing it; ratios of two)
-- materialize: date
SELECT
    e.event_day AS date,
    e.event_name,
    coalesce(u.channel, 'unknown') AS channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    count(*) AS events,
    count(DISTINCT e.user_id) AS users
FROM events AS e
LEFT JOIN users AS u USING (user_id)
GROUP BY ALL
