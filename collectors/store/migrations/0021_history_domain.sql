-- The store in two files: the git collector's tables (collectors/store/layout.py HISTORY_TABLES) move to a
-- history file of their own, so a write that does not touch them (an import, a registry refresh, a budget
-- save) never copies them. This table, in the core file, names the current file of each other domain; the
-- write session that applies this migration moves the tables (keeping their definitions) and publishes
-- both files at once (docs/operations.md#store-layout).
CREATE TABLE store_domains (
    domain     VARCHAR PRIMARY KEY,     -- history
    generation BIGINT NOT NULL,         -- grows with every publish that changed the domain
    file       VARCHAR NOT NULL         -- its file beside the core file, for people: socle.duckdb.history-<generation>
);
