-- grain: one row per signup day (cohort), channel and campaign with cohort orders in the first 30 days
-- keys: cohort_date, channel, campaign_id; raw window sums, maturity is applied by cohort_daily
-- implements: revenue_Nd and payers for payer_conversion_Nd, N = 1, 7, 30 (orders paid on days c .. c+N-1)
-- materialize: cohort_date day lookback 29
SELECT
    u.signup_day AS cohort_date,
    u.channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    coalesce(sum(o.amount) FILTER (WHERE o.paid_day <= u.signup_day), 0) AS revenue_1d,
    coalesce(sum(o.amount) FILTER (WHERE o.paid_day <= u.signup_day + 6), 0) AS revenue_7d,
    coalesce(sum(o.amount), 0) AS revenue_30d,
    count(DISTINCT o.user_key) FILTER (WHERE o.amount > 0 AND o.paid_day <= u.signup_day) AS payers_1d,
    count(DISTINCT o.user_key) FILTER (WHERE o.amount > 0 AND o.paid_day <= u.signup_day + 6) AS payers_7d,
    count(DISTINCT o.user_key) FILTER (WHERE o.amount > 0) AS payers_30d
FROM orders AS o
JOIN users AS u USING (user_key)
WHERE o.paid_day BETWEEN u.signup_day AND u.signup_day + 29
    -- refresh: cohorts from the cut, so their orders too
    AND ($cut IS NULL OR u.signup_day >= $cut) AND ($cut IS NULL OR o.paid_day >= $cut)
GROUP BY ALL
