-- grain: one row per signup day (cohort), channel and campaign
-- keys: cohort_date, channel, campaign_id; raw counts, maturity is applied by funnel_daily
-- implements: funnel steps registered → activated (plan's activation_event, else any event but signup,
-- on days c .. c+1) → paid within 7 days (positive order on days c .. c+6)
-- materialize: cohort_date day lookback 6
WITH roles AS (SELECT event_name FROM _event_roles WHERE role = 'activation'),
activated AS (
    SELECT DISTINCT e.user_key
    FROM events AS e
    JOIN users AS u USING (user_key)
    WHERE e.event_day BETWEEN u.signup_day AND u.signup_day + 1
        AND u.signup_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') AND e.event_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
        AND CASE
            WHEN EXISTS (SELECT 1 FROM roles) THEN e.event_name IN (SELECT event_name FROM roles)
            ELSE e.event_name <> 'signup'
        END
),
paid AS (
    SELECT DISTINCT o.user_key
    FROM orders AS o
    JOIN users AS u USING (user_key)
    WHERE o.amount > 0 AND o.paid_day BETWEEN u.signup_day AND u.signup_day + 6
        AND u.signup_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') AND o.paid_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
)
SELECT
    u.signup_day AS cohort_date,
    u.channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    count(*) AS new_users,
    count(a.user_key) AS activated,
    count(p.user_key) AS paid_7d
FROM users AS u
LEFT JOIN activated AS a USING (user_key)
LEFT JOIN paid AS p USING (user_key)
WHERE u.signup_day >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
