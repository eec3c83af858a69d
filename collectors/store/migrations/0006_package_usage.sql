-- How the organisation uses each package, with its reverse reach (the organisation's packages that depend on
-- it, transitively): derived from app_packages and app_edges by the refresh's criticality step, where the
-- recursive reach query already runs, so readers (criticality, the budget, the dashboard) read one table
-- instead of walking the graph again. An import that changes an application empties it: it is either
-- current or empty, and readers compute it live when it is empty.
CREATE TABLE package_usage (
    purl          VARCHAR PRIMARY KEY,
    apps          INTEGER NOT NULL,      -- applications using it, directly or transitively
    direct_apps   INTEGER NOT NULL,      -- applications declaring it directly
    min_depth     INTEGER,               -- shortest depth in any application (1 = direct)
    scope         VARCHAR NOT NULL,      -- runtime | optional | dev, the strongest across applications
    reverse_reach INTEGER NOT NULL,
    run_id        BIGINT NOT NULL
);
