-- grain: one row per day, channel and campaign with a signup, an active user, an order or spend (days after data_through too)
-- keys: date, channel, campaign_id; the stored part of kpis_daily, which adds paid_new_users and cuts at data_through
-- materialize: date
WITH nu AS (
    SELECT
        signup_day AS date, channel, coalesce(campaign_id, '') AS campaign_id,
        count(*) AS new_users,
        count(*) FILTER (WHERE referrer_key IS NOT NULL) AS referred_new_users
    FROM users
    WHERE ($cut IS NULL OR signup_day >= $cut)
    GROUP BY ALL
),
-- referral by the inviter's channel: each inviter has one channel, so distinct inviters add up
inv AS (
    SELECT
        u.signup_day AS date, coalesce(r.channel, 'unknown') AS channel,
        coalesce(r.campaign_id, '') AS campaign_id,
        count(*) AS invited_new_users, count(DISTINCT u.referrer_key) AS inviters
    FROM users AS u
    LEFT JOIN users AS r ON r.user_key = u.referrer_key
    WHERE u.referrer_key IS NOT NULL AND ($cut IS NULL OR u.signup_day >= $cut)
    GROUP BY ALL
),
buyer AS (
    SELECT
        o.paid_day AS date, coalesce(u.channel, 'unknown') AS channel, coalesce(u.campaign_id, '') AS campaign_id,
        o.user_key, sum(o.amount) AS revenue, count(*) FILTER (WHERE o.amount > 0) AS positive_orders
    FROM orders AS o
    LEFT JOIN users AS u USING (user_key)
    WHERE ($cut IS NULL OR o.paid_day >= $cut)
    GROUP BY ALL
),
rev AS (
    SELECT
        date, channel, campaign_id,
        sum(revenue) AS revenue,
        count(*) FILTER (WHERE positive_orders >= 1) AS paying_users,
        count(*) FILTER (WHERE positive_orders >= 2) AS repeat_buyers
    FROM buyer
    GROUP BY ALL
),
act AS (SELECT date, channel, campaign_id, dau FROM activity_daily WHERE ($cut IS NULL OR date >= $cut)),
-- spend_daily without its data_through filter (kpis_daily applies it): these rows never depend on data_through
sp AS (
    SELECT date, channel, coalesce(campaign_id, '') AS campaign_id,
        sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks
    FROM ad_spend
    WHERE ($cut IS NULL OR date >= $cut)
    GROUP BY ALL
),
keys AS (
    SELECT date, channel, campaign_id FROM nu
    UNION SELECT date, channel, campaign_id FROM act
    UNION SELECT date, channel, campaign_id FROM rev
    UNION SELECT date, channel, campaign_id FROM sp
    UNION SELECT date, channel, campaign_id FROM inv
)
SELECT
    k.date, k.channel, k.campaign_id,
    coalesce(nu.new_users, 0) AS new_users,
    coalesce(a.dau, 0) AS active_users,
    coalesce(rev.revenue, 0) AS revenue,
    coalesce(rev.paying_users, 0) AS paying_users,
    coalesce(rev.repeat_buyers, 0) AS repeat_buyers,
    coalesce(sp.spend, 0) AS spend,
    coalesce(sp.impressions, 0) AS impressions,
    coalesce(sp.clicks, 0) AS clicks,
    coalesce(nu.referred_new_users, 0) AS referred_new_users,
    coalesce(inv.invited_new_users, 0) AS invited_new_users,
    coalesce(inv.inviters, 0) AS inviters
FROM keys AS k
LEFT JOIN nu USING (date, channel, campaign_id)
LEFT JOIN act AS a USING (date, channel, campaign_id)
LEFT JOIN rev USING (date, channel, campaign_id)
LEFT JOIN sp USING (date, channel, campaign_id)
LEFT JOIN inv USING (date, channel, campaign_id)
