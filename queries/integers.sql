-- grain: one row per integer n = 0 .. 99,999 (the calendar's day offsets, the retention curves' period offsets)
-- keys: n. Made from ten digits because range() / generate_series() are not portable (ClickHouse has
-- neither in this form): see docs/architecture.md, "Portable SQL"
WITH digits AS (
    SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9
)
SELECT CAST(a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS INTEGER) AS n
FROM digits AS a
CROSS JOIN digits AS b
CROSS JOIN digits AS c
CROSS JOIN digits AS e
CROSS JOIN digits AS f
