"""Cross-table rules (X): one quantity printed in two tables must agree."""
