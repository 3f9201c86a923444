-- grain: one row per user and day with an event or the signup: the one pass over the events
-- keys: user_key, date. active: the user did an event that makes her active (the plan's active_events, else
-- any) or signed up that day; activating: she did the plan's activation_event (else any event but signup);
-- mask: bit b set when she did the event whose _event_names.bit is b (names past the 64th set wide instead).
-- (least / greatest keep every shift in 0..63: ClickHouse evaluates both branches of a CASE)
-- Stored in date order (day filters prune row groups); carries the user's signup day and segment_key (her
-- channel and campaign as one integer, _segments: no text is copied into the million rows).
-- materialize: date
-- the plan's event roles as bit masks (names past the 64th as lists), so the pass below compares integers only
WITH role_bits AS (
    SELECT ro.role, n.bit FROM _event_roles AS ro JOIN _event_names AS n USING (event_name)
),
r AS (
    SELECT
        NOT EXISTS (SELECT 1 FROM _event_roles WHERE role = 'active') AS any_active,
        NOT EXISTS (SELECT 1 FROM _event_roles WHERE role = 'activation') AS any_activating,
        (SELECT coalesce(CAST(bit_or(CAST(1 AS UBIGINT) << least(bit, 63)) AS UBIGINT), CAST(0 AS UBIGINT)) FROM role_bits
            WHERE role = 'active' AND bit < 64) AS active_mask,
        (SELECT coalesce(CAST(bit_or(CAST(1 AS UBIGINT) << least(bit, 63)) AS UBIGINT), CAST(0 AS UBIGINT)) FROM role_bits
            WHERE role = 'activation' AND bit < 64) AS activation_mask,
        (SELECT coalesce(list(bit), []) FROM role_bits WHERE role = 'active' AND bit >= 64) AS active_wide,
        (SELECT coalesce(list(bit), []) FROM role_bits WHERE role = 'activation' AND bit >= 64) AS activation_wide,
        coalesce((SELECT max(bit) FROM _event_names WHERE event_name = 'signup'), -1) AS signup_bit
),
-- the signup is a row with no event (name_bit NULL), so one GROUP BY makes the user-day rows
rows AS (
    SELECT user_key, event_day AS date, name_bit FROM events
    WHERE ($cut IS NULL OR event_day >= $cut)
    UNION ALL
    SELECT user_key, signup_day AS date, NULL AS name_bit FROM users
    WHERE ($cut IS NULL OR signup_day >= $cut)
),
days AS (
    SELECT
        user_key,
        date,
        coalesce(
            CAST(bit_or(CASE WHEN name_bit < 64 THEN CAST(1 AS UBIGINT) << least(name_bit, 63) END) AS UBIGINT), CAST(0 AS UBIGINT)
        ) AS mask
    FROM rows
    GROUP BY user_key, date
),
-- events whose name has no bit in the mask (past the 64th name): usually none, then this reads one column
wide AS (
    SELECT
        e.user_key,
        e.event_day AS date,
        max(list_contains(r.active_wide, e.name_bit)) AS active,
        max(list_contains(r.activation_wide, e.name_bit)) AS activating,
        max(e.name_bit <> r.signup_bit) AS not_signup
    FROM events AS e
    CROSS JOIN r
    WHERE e.name_bit >= 64 AND ($cut IS NULL OR e.event_day >= $cut)
    GROUP BY e.user_key, e.event_day
)
SELECT
    d.user_key,
    d.date,
    u.signup_day,
    u.segment_key,
    u.signup_day IS NOT DISTINCT FROM d.date
        OR (r.any_active AND (d.mask <> 0 OR w.user_key IS NOT NULL))
        OR (d.mask & r.active_mask) <> 0
        OR coalesce(w.active, false) AS active,
    CASE
        WHEN r.any_activating
            THEN (d.mask & ~CAST(CASE WHEN r.signup_bit BETWEEN 0 AND 63 THEN CAST(1 AS UBIGINT) << least(greatest(r.signup_bit, 0), 63)
                ELSE CAST(0 AS UBIGINT) END AS UBIGINT)) <> 0 OR coalesce(w.not_signup, false)
        ELSE (d.mask & r.activation_mask) <> 0 OR coalesce(w.activating, false)
    END AS activating,
    d.mask,
    w.user_key IS NOT NULL AS wide
FROM days AS d
CROSS JOIN r
LEFT JOIN users AS u USING (user_key)
LEFT JOIN wide AS w USING (user_key, date)
ORDER BY d.date
