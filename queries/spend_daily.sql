-- grain: one row per day, channel and campaign with an ad_spend row ('' = no campaign)
-- keys: date, channel, campaign_id
-- implements: spend, impressions, clicks (sums of ad_spend)
SELECT
    date,
    channel,
    coalesce(campaign_id, '') AS campaign_id,
    sum(spend) AS spend,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks
FROM ad_spend
WHERE date <= (SELECT data_through FROM data_through)
GROUP BY ALL
