-- grain: one row per day, channel and campaign with a signup, an active user, an order or spend
-- keys: date, channel, campaign_id; every column is additive over channels and campaigns (a user has one)
-- implements: new_users, dau, revenue, paying_users, repurchase, spend/impressions/clicks, referral, and the parts of every daily rate
-- stored in kpis_daily_parts; paid_new_users and the data_through cut are applied here, so they follow
-- paid_channels and data_through at once
SELECT
    k.date, k.channel, k.campaign_id,
    k.new_users,
    CASE WHEN k.channel IN (SELECT channel FROM paid_channels) THEN k.new_users ELSE 0 END AS paid_new_users,
    k.active_users,
    k.revenue,
    k.paying_users,
    k.repeat_buyers,
    k.spend,
    k.impressions,
    k.clicks,
    k.referred_new_users,
    k.invited_new_users,
    k.inviters
FROM kpis_daily_parts AS k
WHERE k.date <= (SELECT data_through FROM data_through)
