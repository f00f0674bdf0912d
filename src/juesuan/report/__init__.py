"""Findings -> terminal, JSON (and further formats)."""
