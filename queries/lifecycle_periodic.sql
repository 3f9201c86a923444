-- grain: one row per grain (week / month), period, channel and campaign: users by lifecycle state
-- keys: grain, period_start, channel, campaign_id; the states of lifecycle_daily with periods instead of days
-- the two grains are plain views over activity_channel_parts (lifecycle_weekly, lifecycle_monthly)
SELECT * FROM lifecycle_weekly
UNION ALL
SELECT * FROM lifecycle_monthly
