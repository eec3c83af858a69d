"""Standardisation and implementation diversity: the catalogue, detection, scores and the refresh step."""
