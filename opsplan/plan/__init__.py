"""The operations plan: the file, its validation, targets, stop-loss rules, budget and the daily check."""
