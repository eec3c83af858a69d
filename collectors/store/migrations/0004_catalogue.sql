-- The standards catalogue (data/catalogue/ plus overlays), loaded whole at each refresh, and what the
-- detector found: which interface each package implements, and the hints for the review list.

CREATE TABLE cat_standards (
    id                VARCHAR PRIMARY KEY,   -- ietf:rfc7519, iso:9075, ecma:262, w3c:..., pep:..., spec:...
    body              VARCHAR NOT NULL,
    number            VARCHAR NOT NULL,
    title             VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    openness          INTEGER NOT NULL,      -- 3 standards body, 2 open community spec, 1 single vendor, 0 none
    access            VARCHAR NOT NULL,      -- free | paywalled
    conformance_suite VARCHAR,
    year              INTEGER,
    source            VARCHAR NOT NULL,
    origin            VARCHAR NOT NULL,      -- catalogue | overlay
    file              VARCHAR NOT NULL,
    run_id            BIGINT NOT NULL
);

CREATE TABLE cat_stewards (
    id      VARCHAR PRIMARY KEY,
    name    VARCHAR NOT NULL,
    kind    VARCHAR NOT NULL,                -- company | foundation | community | individual | public-body
    country VARCHAR,                         -- ISO 3166 alpha-2 of the legal entity, where known
    url     VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    origin  VARCHAR NOT NULL,
    file    VARCHAR NOT NULL,
    run_id  BIGINT NOT NULL
);

CREATE TABLE cat_interfaces (
    id     VARCHAR PRIMARY KEY,
    title  VARCHAR NOT NULL,
    kind   VARCHAR NOT NULL,                 -- protocol | format | language | api | service
    scope  VARCHAR NOT NULL,                 -- ecosystem (same-language substitutes) | global
    domain VARCHAR NOT NULL,                 -- the interfaces/<domain>.toml file it comes from
    source VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    file   VARCHAR NOT NULL,
    run_id BIGINT NOT NULL
);

CREATE TABLE cat_interface_standards (
    interface_id VARCHAR NOT NULL,
    standard_id  VARCHAR NOT NULL,
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (interface_id, standard_id)
);

CREATE TABLE cat_implementations (
    interface_id VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,           -- the purl, or the system component (system:gcc)
    purl         VARCHAR,
    component    VARCHAR,
    name         VARCHAR NOT NULL,
    lineage      VARCHAR NOT NULL,           -- shared-codebase family
    steward      VARCHAR NOT NULL,           -- cat_stewards.id
    conformance  VARCHAR NOT NULL,           -- true | false | unknown
    evidence     VARCHAR NOT NULL,
    ecosystem    VARCHAR NOT NULL,           -- the purl type, or 'system'
    origin       VARCHAR NOT NULL,
    file         VARCHAR NOT NULL,
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (interface_id, subject)
);

-- Package -> interface, from the catalogue only (hints never classify a package by themselves).
CREATE TABLE package_interfaces (
    purl         VARCHAR NOT NULL,
    interface_id VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,           -- catalogue | overlay
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (purl, interface_id)
);

-- Metadata hints per package, with their evidence: the review list is the packages with hints and no
-- catalogue entry.
CREATE TABLE detection_hints (
    purl       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,             -- standard | family | keyword | classifier | portability
    value      VARCHAR NOT NULL,             -- ietf:rfc7519, family:jwt, python-implementation:pypy
    field      VARCHAR NOT NULL,             -- summary | description | keywords | classifiers
    evidence   VARCHAR NOT NULL,             -- the words around the match, as text (never rendered as HTML)
    confidence DOUBLE NOT NULL,
    suggested  VARCHAR[],                    -- catalogue interfaces this package might implement
    matched    BOOLEAN NOT NULL,             -- the package is in the catalogue
    run_id     BIGINT NOT NULL,
    PRIMARY KEY (purl, value)
);
