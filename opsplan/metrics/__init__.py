"""The metric registry and everything that turns views into numbers at a grain."""
