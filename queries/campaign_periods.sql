-- grain: one row per campaign, with its channel, phase and dates (from campaigns, else from its spend)
-- keys: campaign_id
-- implements: campaign phases 预热 preheat / 爆发 burst / 长尾 longtail shaded on time axes
SELECT
    coalesce(c.campaign_id, s.campaign_id) AS campaign_id,
    coalesce(c.channel, s.channel) AS channel,
    coalesce(c.name, coalesce(c.campaign_id, s.campaign_id)) AS name,
    c.phase,
    coalesce(c.start_date, s.first_day) AS start_date,
    coalesce(c.end_date, s.last_day) AS end_date,
    c.budget,
    c.owner,
    s.spend
FROM campaigns AS c
FULL OUTER JOIN (
    SELECT campaign_id, any_value(channel) AS channel, min(date) AS first_day, max(date) AS last_day, sum(spend) AS spend
    FROM spend_daily
    WHERE campaign_id <> ''
    GROUP BY campaign_id
) AS s USING (campaign_id)
