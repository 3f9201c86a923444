-- grain: one row per cohort day, channel and campaign with new users or spend that day
-- keys: cohort_date, channel, campaign_id; a step is NULL until mature, *_base is the mature denominator
-- implements: the funnel 曝光 impressions → 点击 clicks → 注册 new_users → 激活 activated (c..c+1) → 付费 paid_7d (c..c+6)
WITH w AS (SELECT data_through FROM data_through),
keys AS (
    SELECT cohort_date, channel, campaign_id FROM cohort_funnel
    UNION SELECT date, channel, campaign_id FROM spend_daily
)
SELECT
    k.cohort_date, k.channel, k.campaign_id,
    coalesce(sp.impressions, 0) AS impressions,
    coalesce(sp.clicks, 0) AS clicks,
    coalesce(f.new_users, 0) AS new_users,
    CASE WHEN k.channel IN (SELECT channel FROM paid_channels) THEN coalesce(f.new_users, 0) ELSE 0 END
        AS paid_new_users,
    CASE WHEN k.cohort_date + 1 <= w.data_through THEN coalesce(f.activated, 0) END AS activated,
    CASE WHEN k.cohort_date + 1 <= w.data_through THEN coalesce(f.new_users, 0) END AS activated_base,
    CASE WHEN k.cohort_date + 6 <= w.data_through THEN coalesce(f.paid_7d, 0) END AS paid_7d,
    CASE WHEN k.cohort_date + 6 <= w.data_through THEN coalesce(f.activated, 0) END AS paid_base
FROM keys AS k
CROSS JOIN w
LEFT JOIN cohort_funnel AS f USING (cohort_date, channel, campaign_id)
LEFT JOIN spend_daily AS sp ON sp.date = k.cohort_date AND sp.channel = k.channel AND sp.campaign_id = k.campaign_id
WHERE k.cohort_date <= w.data_through
