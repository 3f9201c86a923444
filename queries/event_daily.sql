-- grain: one row per day, event name, channel and campaign
-- keys: date, event_name, channel, campaign_id; events = rows, users = distinct users doing it that day
-- implements: event metrics of the plan (count of an event, distinct users doing it; ratios of two)
-- materialize: date
-- each user's events of a day are counted first, so the users join and the distinct count see one row per user
WITH per_user AS (
    SELECT event_day, event_name, user_id, count(*) AS events
    FROM events
    WHERE event_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    GROUP BY ALL
)
SELECT
    p.event_day AS date,
    p.event_name,
    coalesce(u.channel, 'unknown') AS channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    CAST(sum(p.events) AS BIGINT) AS events,
    count(*) AS users
FROM per_user AS p
LEFT JOIN users AS u USING (user_id)
GROUP BY ALL
