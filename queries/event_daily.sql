-- grain: one row per day, event name, channel and campaign
-- keys: date, event_name, channel, campaign_id; events = rows, users = distinct users doing it that day
-- implements: event metrics of the plan (count of an event, distinct users doing it; ratios of two)
-- materialize: date
-- distinct users from user_days' event mask: its rows grouped by mask are a few thousand, and each set bit is one
-- event name (a user-day row is one user, so the counts are distinct users); names past the 64th have no bit in
-- the mask and are counted from the events. The event counts are one integer-keyed pass joined to the users.
WITH m AS (
    SELECT d.date, coalesce(s.channel, 'unknown') AS channel, coalesce(s.campaign_id, '') AS campaign_id, d.mask, d.n
    FROM (
        SELECT date, segment_key, mask, count(*) AS n
        FROM user_days
        WHERE mask <> 0 AND ($cut IS NULL OR date >= $cut)
        GROUP BY ALL
    ) AS d
    LEFT JOIN _segments AS s USING (segment_key)
),
masked AS (
    SELECT m.date, b.bit AS name_bit, m.channel, m.campaign_id, sum(m.n) AS users
    FROM m
    JOIN _event_names AS b ON b.bit < 64 AND (m.mask >> b.bit) & CAST(1 AS UBIGINT) = 1
    GROUP BY ALL
),
ev AS (
    SELECT e.event_day, e.name_bit, e.user_key
    FROM events AS e
    WHERE ($cut IS NULL OR e.event_day >= $cut)
),
counted AS (
    SELECT
        ev.event_day AS date, ev.name_bit,
        coalesce(u.channel, 'unknown') AS channel, coalesce(u.campaign_id, '') AS campaign_id,
        count(*) AS events
    FROM ev
    LEFT JOIN users AS u USING (user_key)
    GROUP BY ALL
),
wide AS (
    SELECT
        ev.event_day AS date, ev.name_bit,
        coalesce(u.channel, 'unknown') AS channel, coalesce(u.campaign_id, '') AS campaign_id,
        count(DISTINCT ev.user_key) AS users
    FROM ev
    LEFT JOIN users AS u USING (user_key)
    WHERE ev.name_bit >= 64
    GROUP BY ALL
)
SELECT
    c.date,
    n.event_name,
    c.channel,
    c.campaign_id,
    CAST(c.events AS BIGINT) AS events,
    CAST(CASE WHEN c.name_bit < 64 THEN coalesce(k.users, 0) ELSE w.users END AS BIGINT) AS users
FROM counted AS c
LEFT JOIN masked AS k USING (date, name_bit, channel, campaign_id)
LEFT JOIN wide AS w USING (date, name_bit, channel, campaign_id)
JOIN _event_names AS n ON n.bit = c.name_bit
