-- grain: one row per day cohort, channel, campaign and day offset N = 0..30
-- keys: cohort_date, channel, campaign_id, day_offset; retained and mature_size are NULL until c + N <= data_through
-- implements: the retention 0..30 day curve (retention_dN = retained / mature_size, summed over cohorts)
WITH w AS (SELECT data_through FROM data_through),
sizes AS (
    SELECT cohort_date, channel, campaign_id, users AS cohort_size
    FROM cohort_activity_daily
    WHERE date = cohort_date
)
SELECT
    s.cohort_date, s.channel, s.campaign_id, n.n AS day_offset, s.cohort_size,
    CASE WHEN s.cohort_date + n.n <= w.data_through THEN coalesce(a.users, 0) END AS retained,
    CASE WHEN s.cohort_date + n.n <= w.data_through THEN s.cohort_size END AS mature_size
FROM sizes AS s
CROSS JOIN (SELECT n FROM integers WHERE n <= 30) AS n
CROSS JOIN w
LEFT JOIN cohort_activity_daily AS a
    ON a.cohort_date = s.cohort_date AND a.channel = s.channel AND a.campaign_id = s.campaign_id
    AND a.date = s.cohort_date + n.n
WHERE s.cohort_date <= w.data_through
