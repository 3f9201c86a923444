"""Where the data lives: the contract, sources, validated loading, the DuckDB warehouse and its SQL views."""
