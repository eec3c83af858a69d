-- Foundation: the run ledger, the inventory, funding links and the uniform scores table.
-- Conventions: timestamps are naive UTC (TIMESTAMP); every data row carries the run_id that wrote it.

CREATE TABLE runs (
    run_id      BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL,            -- import | refresh | budget | ...
    started_at  TIMESTAMP NOT NULL,
    ended_at    TIMESTAMP,
    status      VARCHAR NOT NULL,            -- running | ok | partial | failed
    params      JSON,
    counts      JSON,                        -- {"applications": 3, "packages": 412, ...}
    error_count INTEGER NOT NULL DEFAULT 0,
    message     VARCHAR                      -- why a run failed, or a summary
);

-- Errors, warnings and documented skips, per subject (a file or a package), recorded on the run.
CREATE TABLE run_events (
    run_id   BIGINT NOT NULL,
    at_time  TIMESTAMP NOT NULL,
    severity VARCHAR NOT NULL,               -- error | warning | skipped
    subject  VARCHAR NOT NULL,               -- file path, purl or repository URL
    message  VARCHAR NOT NULL
);

CREATE TABLE applications (
    name         VARCHAR PRIMARY KEY,
    source       VARCHAR NOT NULL,           -- the file(s) it was imported from
    format       VARCHAR NOT NULL,           -- cyclonedx | spdx | requirements | uv-lock | poetry-lock | npm-lock | pyproject | package-json
    content_hash VARCHAR NOT NULL,           -- of the parsed inventory: same hash, nothing to do
    run_id       BIGINT NOT NULL
);

-- A package is identified by its normalised, versionless purl (pkg:pypi/requests, pkg:npm/%40babel/core).
CREATE TABLE packages (
    purl      VARCHAR PRIMARY KEY,
    ecosystem VARCHAR NOT NULL,              -- purl type: pypi, npm, maven, ...
    namespace VARCHAR,
    name      VARCHAR NOT NULL,
    run_id    BIGINT NOT NULL
);

-- Which application uses which package, at which version, how.
CREATE TABLE app_packages (
    app        VARCHAR NOT NULL,
    purl       VARCHAR NOT NULL,
    version    VARCHAR NOT NULL DEFAULT '',  -- '' when only a specifier is known
    specifier  VARCHAR,                      -- e.g. '>=2.0,<3' for an unpinned requirement
    marker     VARCHAR,                      -- PEP 508 environment marker, e.g. sys_platform == "win32"
    is_direct  BOOLEAN NOT NULL,
    depth      INTEGER,                      -- shortest path from the application (1 = direct); NULL if unreachable
    scope      VARCHAR NOT NULL,             -- runtime | dev | optional
    inferred   BOOLEAN NOT NULL DEFAULT FALSE, -- added by transitive completion from registry metadata
    run_id     BIGINT NOT NULL,
    PRIMARY KEY (app, purl, version)
);

-- The dependency graph of each application, between package versions.
CREATE TABLE app_edges (
    app            VARCHAR NOT NULL,
    parent_purl    VARCHAR NOT NULL,
    parent_version VARCHAR NOT NULL DEFAULT '',
    child_purl     VARCHAR NOT NULL,
    child_version  VARCHAR NOT NULL DEFAULT '',
    specifier      VARCHAR,
    kind           VARCHAR NOT NULL DEFAULT 'declared',  -- declared | inferred
    run_id         BIGINT NOT NULL
);

-- Funding channels, merged from every source and keeping where each came from.
CREATE TABLE funding_links (
    subject_kind VARCHAR NOT NULL,           -- package | repository
    subject      VARCHAR NOT NULL,           -- purl or repository URL
    url          VARCHAR NOT NULL,
    platform     VARCHAR,                    -- github-sponsors | open-collective | liberapay | ... | other
    label        VARCHAR,                    -- the label or type as the source gave it
    source       VARCHAR NOT NULL,           -- lockfile | pypi | npm | funding-yml | funding-json
    run_id       BIGINT NOT NULL
);

-- Every score, current value. value NULL means "no value" (see status and reason), never -1.
CREATE TABLE scores (
    subject_kind VARCHAR NOT NULL,           -- package | repository | interface | application
    subject      VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,           -- truck_factor, standardisation, risk, ...
    version      VARCHAR NOT NULL,
    value        DOUBLE,
    status       VARCHAR NOT NULL,           -- ok | inconclusive | error
    label        VARCHAR,                    -- categorical outcome where there is one (fragility class)
    reason       VARCHAR NOT NULL,           -- one sentence a finance person can read
    details      JSON,                       -- parameters used and findings
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (subject_kind, subject, name)
);

-- Scores across runs: a row is appended when a score's value, status or version changes.
CREATE TABLE score_history (
    subject_kind VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    value        DOUBLE,
    status       VARCHAR NOT NULL,
    label        VARCHAR,
    run_id       BIGINT NOT NULL
);
