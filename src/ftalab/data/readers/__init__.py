"""Readers for official data layouts; each returns canonical tables."""
