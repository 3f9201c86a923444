-- grain: one row per day, event name, channel and campaign
-- keys: date, event_name, channel, campaign_id; events = rows, users = distinct users doing it that day
-- implements: event metrics of the plan (count of an event, distinct users doing it; ratios of two)
-- materialize: date
-- each user's events of a day are counted first, so the users join and the distinct count see one row per user;
-- on the integer name bit and user key stored at load (_event_names, _user_keys): no text is hashed per event
WITH per_user AS (
    SELECT event_day, name_bit, user_key, count(*) AS events
    FROM events
    WHERE event_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
    GROUP BY ALL
)
SELECT
    p.event_day AS date,
    n.event_name,
    coalesce(u.channel, 'unknown') AS channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    CAST(sum(p.events) AS BIGINT) AS events,
    count(*) AS users
FROM per_user AS p
JOIN _event_names AS n ON n.bit = p.name_bit
LEFT JOIN users AS u USING (user_key)
GROUP BY ALL
