"""The OpsPlan benchmark: SQL views against a plain pandas implementation of the same metrics."""
