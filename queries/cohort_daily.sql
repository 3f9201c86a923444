-- grain: one row per cohort day, channel and campaign with new users or spend that day
-- keys: cohort_date, channel, campaign_id. A *_dN / *_Nd column is NULL while immature; the size_* and
-- spend_* columns are the matching denominators (also NULL while immature), so sums over cohorts stay mature-only
-- paid_revenue_* counts only channels with ad spend (so organic revenue never flatters ROI summed over channels)
-- implements: retention_d1/d7/d30, revenue_Nd, ltv_Nd, roi_Nd / roas_Nd / net_roi_Nd, payer_conversion_Nd
WITH w AS (SELECT data_through FROM data_through),
ret AS (
    SELECT
        cohort_date, channel, campaign_id,
        sum(users) FILTER (WHERE date = cohort_date) AS cohort_size,
        coalesce(sum(users) FILTER (WHERE date = cohort_date + 1), 0) AS r1,
        coalesce(sum(users) FILTER (WHERE date = cohort_date + 7), 0) AS r7,
        coalesce(sum(users) FILTER (WHERE date = cohort_date + 30), 0) AS r30
    FROM cohort_activity_daily
    GROUP BY ALL
),
sp AS (SELECT date AS cohort_date, channel, campaign_id, spend FROM spend_daily),
keys AS (
    SELECT cohort_date, channel, campaign_id FROM ret
    UNION
    SELECT cohort_date, channel, campaign_id FROM sp
),
joined AS (
    SELECT
        k.cohort_date, k.channel, k.campaign_id,
        coalesce(ret.cohort_size, 0) AS cohort_size,
        ret.r1, ret.r7, ret.r30,
        coalesce(rev.revenue_1d, 0) AS rev1, coalesce(rev.revenue_7d, 0) AS rev7,
        coalesce(rev.revenue_30d, 0) AS rev30,
        coalesce(rev.payers_1d, 0) AS p1, coalesce(rev.payers_7d, 0) AS p7, coalesce(rev.payers_30d, 0) AS p30,
        coalesce(sp.spend, 0) AS spend,
        k.channel IN (SELECT channel FROM paid_channels) AS paid_channel,
        w.data_through
    FROM keys AS k
    CROSS JOIN w
    LEFT JOIN ret USING (cohort_date, channel, campaign_id)
    LEFT JOIN cohort_revenue AS rev USING (cohort_date, channel, campaign_id)
    LEFT JOIN sp USING (cohort_date, channel, campaign_id)
    WHERE k.cohort_date <= w.data_through
)
SELECT
    cohort_date, channel, campaign_id, cohort_size, spend,
    -- retention: mature when c + N <= data_through
    CASE WHEN cohort_date + 1 <= data_through THEN coalesce(r1, 0) END AS retained_d1,
    CASE WHEN cohort_date + 1 <= data_through THEN cohort_size END AS size_d1,
    CASE WHEN cohort_date + 7 <= data_through THEN coalesce(r7, 0) END AS retained_d7,
    CASE WHEN cohort_date + 7 <= data_through THEN cohort_size END AS size_d7,
    CASE WHEN cohort_date + 30 <= data_through THEN coalesce(r30, 0) END AS retained_d30,
    CASE WHEN cohort_date + 30 <= data_through THEN cohort_size END AS size_d30,
    -- revenue windows: mature when c + N - 1 <= data_through
    CASE WHEN cohort_date <= data_through THEN rev1 END AS revenue_1d,
    CASE WHEN cohort_date + 6 <= data_through THEN rev7 END AS revenue_7d,
    CASE WHEN cohort_date + 29 <= data_through THEN rev30 END AS revenue_30d,
    CASE WHEN cohort_date <= data_through THEN cohort_size END AS size_1d,
    CASE WHEN cohort_date + 6 <= data_through THEN cohort_size END AS size_7d,
    CASE WHEN cohort_date + 29 <= data_through THEN cohort_size END AS size_30d,
    CASE WHEN cohort_date <= data_through THEN spend END AS spend_1d,
    CASE WHEN cohort_date + 6 <= data_through THEN spend END AS spend_7d,
    CASE WHEN cohort_date + 29 <= data_through THEN spend END AS spend_30d,
    CASE WHEN cohort_date <= data_through AND paid_channel THEN rev1 END AS paid_revenue_1d,
    CASE WHEN cohort_date + 6 <= data_through AND paid_channel THEN rev7 END AS paid_revenue_7d,
    CASE WHEN cohort_date + 29 <= data_through AND paid_channel THEN rev30 END AS paid_revenue_30d,
    CASE WHEN cohort_date <= data_through THEN p1 END AS payers_1d,
    CASE WHEN cohort_date + 6 <= data_through THEN p7 END AS payers_7d,
    CASE WHEN cohort_date + 29 <= data_through THEN p30 END AS payers_30d
FROM joined
