"""科目 rules (K): codes and names against the classification dictionaries."""
