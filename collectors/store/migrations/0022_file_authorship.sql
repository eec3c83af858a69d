-- Per-file authorship totals kept with the mined history (collectors/git/file_authorship.py): the truck
-- factor's input, updated with each run's new commits instead of recomputed from the whole history.
-- file_authorship: per path (its history moved to the new path at each rename, as the default at-rename
--                  history of analysis/maintainers/authorship.py), per raw identity as written in the commits
--                  (merged into people when the scores read it): whether it created the path, and how many
--                  changes (modifications, type changes, renames) it made to it. Bots are kept: the scores
--                  leave them out.
-- history_state: per repository, what its kept derived data describe. authorship_head: the commit the
--                  totals were replayed up to (a repository whose stored history goes further, or elsewhere,
--                  has its totals rebuilt by the next mining). identities_key: a fingerprint of everything
--                  its identity map is made from (collectors/git/writer.py identities_key); equal keys: the
--                  stored map is kept, not merged again.
-- Both are history tables (collectors/store/layout.py HISTORY_TABLES): created here, moved to the history
-- file by the first session that writes it.
CREATE TABLE file_authorship (
    repository_url VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    author_name    VARCHAR NOT NULL,
    author_email   VARCHAR NOT NULL,
    created        BOOLEAN NOT NULL,
    changes        INTEGER NOT NULL
);
CREATE TABLE history_state (
    repository_url   VARCHAR PRIMARY KEY,
    authorship_head  VARCHAR,
    identities_key   VARCHAR,
    run_id           BIGINT NOT NULL
);
