-- grain: one row per grain (week / month), cohort period, channel, campaign and offset N = 0..12
-- keys: grain, cohort_start, channel, campaign_id, period_offset; retained / mature_size NULL until period c+N has ended
-- implements: retention_wN and retention_mN (ISO-week and month cohorts and periods)
WITH w AS (SELECT data_through FROM data_through),
act AS (
    SELECT 'week' AS grain, cohort_week AS cohort_start, week_start AS period_start, channel, campaign_id, users,
        CAST(date_diff('day', cohort_week, week_start) / 7 AS INTEGER) AS period_offset
    FROM cohort_activity_weekly
    UNION ALL
    SELECT 'month', cohort_month, month_start, channel, campaign_id, users,
        CAST(date_diff('month', cohort_month, month_start) AS INTEGER)
    FROM cohort_activity_monthly
),
-- cohort sizes from cohort_funnel's new users per signup day (materialized), not from the 1M users rows
sizes AS (
    SELECT 'week' AS grain, CAST(date_trunc('week', cohort_date) AS DATE) AS cohort_start, channel, campaign_id,
        CAST(sum(new_users) AS BIGINT) AS cohort_size
    FROM cohort_funnel GROUP BY ALL
    UNION ALL
    SELECT 'month', CAST(date_trunc('month', cohort_date) AS DATE), channel, campaign_id,
        CAST(sum(new_users) AS BIGINT)
    FROM cohort_funnel GROUP BY ALL
),
grid AS (
    SELECT s.*, n.n AS period_offset,
        -- last day of period c+N: 2026-01-05 week, N=1 → 2026-01-18; 2026-01 month, N=1 → 2026-02-28
        CASE WHEN s.grain = 'week' THEN s.cohort_start + 7 * n.n + 6
             ELSE CAST(s.cohort_start + INTERVAL (n.n + 1) MONTH - INTERVAL 1 DAY AS DATE)
        END AS period_end
    FROM sizes AS s CROSS JOIN (SELECT n FROM integers WHERE n <= 12) AS n
)
SELECT
    g.grain, g.cohort_start,
    CASE WHEN g.grain = 'week' THEN strftime(g.cohort_start, '%G-W%V') ELSE strftime(g.cohort_start, '%Y-%m') END
        AS cohort,
    g.channel, g.campaign_id, g.period_offset, g.cohort_size,
    CASE WHEN g.period_end <= w.data_through THEN coalesce(a.users, 0) END AS retained,
    CASE WHEN g.period_end <= w.data_through THEN g.cohort_size END AS mature_size
FROM grid AS g
CROSS JOIN w
LEFT JOIN act AS a USING (grain, cohort_start, channel, campaign_id, period_offset)
WHERE g.cohort_start <= w.data_through
