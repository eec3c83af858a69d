"""Risk signals beyond maintainer concentration: known vulnerabilities, lifecycle and how outdated a version is.

Each is a pure function of literal inputs giving a :class:`~analysis.score.Score`; :mod:`.step` reads the store
and writes them in the refresh.
"""
