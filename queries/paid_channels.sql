-- grain: one row per channel that has ever had an ad_spend row
-- keys: channel
-- implements: which channels count as paid for cac and signup_cvr summed over several channels (docs/glossary.md)
SELECT DISTINCT channel FROM ad_spend
