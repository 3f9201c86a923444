-- grain: one row: the reporting window of the warehouse
-- keys: none; first_day = earliest day in any table, data_through = last complete day
-- implements: data_through (METRICS.md "Words"): _meta 'data_through' if set, else the latest day in events or ad_spend
-- a one-row table rebuilt at every load (pages read it several times per query); set _meta then refresh
-- materialize: full
SELECT
    coalesce(
        TRY_CAST((SELECT value FROM _meta WHERE key = 'data_through') AS DATE),
        greatest((SELECT max(event_day) FROM events), (SELECT max(date) FROM ad_spend)),
        greatest((SELECT max(signup_day) FROM users), (SELECT max(paid_day) FROM orders))
    ) AS data_through,
    least(
        (SELECT min(signup_day) FROM users), (SELECT min(event_day) FROM events),
        (SELECT min(date) FROM ad_spend), (SELECT min(paid_day) FROM orders)
    ) AS first_day
