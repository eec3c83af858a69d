"""The read side's SQL, in one place: one module per area, each function a parameterised query.

Readers trust only rows written by runs whose status is ok or partial (see ``trusted_runs``); with the
store's copy-and-swap writes, a reader never sees a run in progress.
"""
