-- Registry metadata (PyPI, npm, ...), one row set per package, replaced whole on each successful collection.
-- A failed collection touches none of a package's rows: its earlier good record stays.

CREATE TABLE package_metadata (
    purl                 VARCHAR PRIMARY KEY,
    ecosystem            VARCHAR NOT NULL,
    latest_version       VARCHAR,
    summary              VARCHAR,
    description          VARCHAR,          -- long description / readme, kept for standards detection
    homepage             VARCHAR,
    repository_url       VARCHAR,          -- normalised https://host/owner/repo, or NULL
    repository_directory VARCHAR,          -- monorepo sub-folder (npm repository.directory)
    license              VARCHAR,
    deprecated           VARCHAR,          -- the deprecation message, or NULL
    first_release_at     TIMESTAMP,
    last_release_at      TIMESTAMP,
    releases_last_12m    INTEGER,
    keywords             VARCHAR[],
    classifiers          VARCHAR[],
    project_urls         JSON,             -- {PEP 753 normalised label: url}
    requires_python      VARCHAR,
    ownership_org        VARCHAR,
    fetched_at           TIMESTAMP NOT NULL,
    run_id               BIGINT NOT NULL
);

CREATE TABLE package_releases (
    purl        VARCHAR NOT NULL,
    version     VARCHAR NOT NULL,
    released_at TIMESTAMP,
    yanked      BOOLEAN NOT NULL DEFAULT FALSE,
    run_id      BIGINT NOT NULL
);

-- People with publish rights (PyPI ownership roles, npm maintainers).
CREATE TABLE package_maintainers (
    purl   VARCHAR NOT NULL,
    login  VARCHAR,
    email  VARCHAR,
    role   VARCHAR,
    source VARCHAR NOT NULL,                -- pypi | npm
    run_id BIGINT NOT NULL
);

CREATE TABLE package_dependencies (
    purl            VARCHAR NOT NULL,
    version         VARCHAR NOT NULL,
    dependency_purl VARCHAR NOT NULL,
    specifier       VARCHAR,
    kind            VARCHAR NOT NULL,       -- runtime | optional | peer | dev
    marker          VARCHAR,                -- PEP 508 environment marker
    run_id          BIGINT NOT NULL
);

-- The raw answers, zlib-compressed JSON, so analyses can be recomputed without the network.
CREATE TABLE registry_documents (
    url        VARCHAR PRIMARY KEY,
    purl       VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,            -- of the uncompressed body
    body_zlib  BLOB NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    run_id     BIGINT NOT NULL
);

-- Collection state per package and ecosystem: what --max-age compares against.
CREATE TABLE registry_state (
    purl            VARCHAR PRIMARY KEY,
    ecosystem       VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,       -- ok | skipped | error
    message         VARCHAR,
    attempted_at    TIMESTAMP NOT NULL,
    succeeded_at    TIMESTAMP,              -- last time a good record was stored (ok or skipped)
    signature       VARCHAR,                -- sha256 of the answer and versions in use behind that record
    run_id          BIGINT NOT NULL
);
