-- grain: one row per user and day the user was active: an event (only the plan's active_events when
-- it names some) or the signup day; carries the user's signup day and segment_key (channel and campaign)
-- prev_active: the user's previous active day if it falls on or after the first day of the previous month, else
-- NULL: every lifecycle and first-active-in-period count needs no more (a previous week starts later than that).
-- So a refresh from a cut reads user_days back to the start of the month before the cut's month (29 to 61 days),
-- whatever the length of the history.
-- materialize: date
WITH a AS (
    SELECT user_key, date, signup_day, segment_key
    FROM user_days
    WHERE active AND ($cut IS NULL OR date >= CAST(date_trunc('month', $cut) - INTERVAL 1 MONTH AS DATE))
),
cur AS (
    SELECT * FROM a WHERE ($cut IS NULL OR date >= $cut)
),
-- each user's last active day before the cut, for the first of her rows from the cut (none in a full build)
before AS (
    SELECT user_key, max(date) AS last_date
    FROM a
    WHERE date < $cut AND user_key IN (SELECT user_key FROM cur)
    GROUP BY user_key
),
prev AS (
    SELECT
        cur.*,
        -- the CAST makes the value Nullable on ClickHouse, whose lag gives 1970-01-01 (not NULL) for a first row
        coalesce(lag(CAST(cur.date AS DATE)) OVER (PARTITION BY cur.user_key ORDER BY cur.date), b.last_date) AS p
    FROM cur
    LEFT JOIN before AS b USING (user_key)
)
SELECT
    user_key, date, signup_day, segment_key,
    CASE WHEN p >= CAST(date_trunc('month', date) - INTERVAL 1 MONTH AS DATE) THEN p END AS prev_active
FROM prev
ORDER BY date
