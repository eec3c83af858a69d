-- Git collector: repositories, their mined history, identities, contributors and activity.
-- Raw identities are kept on commits; the merged person of each raw (name, e-mail) is in repository_identities,
-- so changing aliases or bot lists re-merges identities without re-reading history.

CREATE TABLE repositories (
    url            VARCHAR PRIMARY KEY,     -- https://host/owner/repo, or local:/absolute/path for add-repo PATH
    host           VARCHAR,
    local_path     VARCHAR,                 -- the bare repository that was read
    head_sha       VARCHAR,                 -- the analysed revision (HEAD, or --at)
    last_mined_sha VARCHAR,                 -- the head the stored commits were mined up to
    mined_at       TIMESTAMP,
    status         VARCHAR NOT NULL,        -- ok | skipped | error
    message        VARCHAR,
    run_id         BIGINT NOT NULL
);

-- Which package lives in which repository (many packages may share one: monorepos).
CREATE TABLE package_repositories (
    purl           VARCHAR NOT NULL,
    repository_url VARCHAR NOT NULL,
    directory      VARCHAR,
    source         VARCHAR NOT NULL,        -- package-metadata | add-repo
    run_id         BIGINT NOT NULL
);

-- Non-merge commits reachable from the analysed revision, with their raw author identity.
CREATE TABLE commits (
    repository_url VARCHAR NOT NULL,
    sha            VARCHAR NOT NULL,
    author_name    VARCHAR NOT NULL,
    author_email   VARCHAR NOT NULL,
    authored_at    TIMESTAMP NOT NULL,
    committed_at   TIMESTAMP NOT NULL,
    co_authors     VARCHAR[],               -- "Name <email>" from Co-authored-by trailers
    run_id         BIGINT NOT NULL
);

-- Per commit and file: status against the first parent (A added, M modified, D deleted, R renamed, T type).
CREATE TABLE commit_files (
    repository_url VARCHAR NOT NULL,
    sha            VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    old_path       VARCHAR,                 -- for renames
    run_id         BIGINT NOT NULL
);

-- Files present at the analysed revision (the truck factor counts only these).
CREATE TABLE repository_files (
    repository_url VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    run_id         BIGINT NOT NULL
);

-- Each raw identity seen in a repository, and the person it was merged into.
CREATE TABLE repository_identities (
    repository_url VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    email          VARCHAR NOT NULL,
    person         VARCHAR NOT NULL,
    is_bot         BOOLEAN NOT NULL,
    org            VARCHAR,
    run_id         BIGINT NOT NULL
);

CREATE TABLE contributors (
    repository_url VARCHAR NOT NULL,
    person         VARCHAR NOT NULL,
    display_name   VARCHAR NOT NULL,
    org            VARCHAR,
    is_bot         BOOLEAN NOT NULL,
    commits        INTEGER NOT NULL,
    first_at       TIMESTAMP,
    last_at        TIMESTAMP,
    run_id         BIGINT NOT NULL
);

CREATE TABLE monthly_activity (
    repository_url      VARCHAR NOT NULL,
    month               DATE NOT NULL,
    active_contributors INTEGER NOT NULL,
    commits             INTEGER NOT NULL,
    run_id              BIGINT NOT NULL
);
