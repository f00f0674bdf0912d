"""juesuan: read, check and compose 部门决算公开 (government final-accounts disclosures)."""

__version__ = "0.1.0"
