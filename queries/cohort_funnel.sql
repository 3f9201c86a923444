-- grain: one row per signup day (cohort), channel and campaign
-- keys: cohort_date, channel, campaign_id; raw counts, maturity is applied by funnel_daily
-- implements: funnel steps registered → activated (plan's activation_event, else any event but signup,
-- on days c .. c+1) → paid within 7 days (positive order on days c .. c+6)
-- materialize: cohort_date day lookback 6
-- activation from user_days (its activating flag applies the plan's activation_event): no second pass over events
WITH activated AS (
    SELECT DISTINCT user_key
    FROM user_days
    WHERE activating AND date BETWEEN signup_day AND signup_day + 1
        AND ($cut IS NULL OR signup_day >= $cut)
        AND ($cut IS NULL OR date >= $cut)
),
paid AS (
    SELECT DISTINCT o.user_key
    FROM orders AS o
    JOIN users AS u USING (user_key)
    WHERE o.amount > 0 AND o.paid_day BETWEEN u.signup_day AND u.signup_day + 6
        AND ($cut IS NULL OR u.signup_day >= $cut) AND ($cut IS NULL OR o.paid_day >= $cut)
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
WHERE ($cut IS NULL OR u.signup_day >= $cut)
GROUP BY ALL
