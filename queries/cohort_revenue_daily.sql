-- grain: one row per signup day (cohort), channel, campaign and day since signup N = 0..29 with cohort orders paid
-- that day. keys: cohort_date, channel, campaign_id, day_offset
-- implements: a cohort's ROI by day since signup (the Channels page's cohort drill): revenue paid on day c + N,
-- refunds negative as in revenue; orders and refunds counted apart; summed cumulatively it ends at revenue_30d
SELECT
    u.signup_day AS cohort_date,
    u.channel,
    coalesce(u.campaign_id, '') AS campaign_id,
    CAST(date_diff('day', u.signup_day, o.paid_day) AS INTEGER) AS day_offset,
    count(*) FILTER (WHERE o.amount > 0) AS orders,
    count(*) FILTER (WHERE o.amount < 0) AS refunds,
    sum(o.amount) AS revenue
FROM orders AS o
JOIN users AS u USING (user_key)
WHERE o.paid_day BETWEEN u.signup_day AND u.signup_day + 29
GROUP BY ALL
