-- What the registries said, per package version, about signals asked of them by a call of their own (npm's bulk
-- advisory endpoint, PyPI's Simple API project status, PyPI's integrity API), and why a call gave nothing: so
-- "not collected: the registry answered HTTP 405" is told apart from "absent" (the registry said there is none).
CREATE TABLE registry_signals (
    purl         VARCHAR NOT NULL,        -- versionless canonical purl
    version      VARCHAR NOT NULL,        -- the version asked about; '' for a project-wide signal
    signal       VARCHAR NOT NULL,        -- advisories | project_status | attestation
    source       VARCHAR NOT NULL,        -- npm | pypi
    outcome      VARCHAR NOT NULL,        -- found | absent | not_collected
    value        VARCHAR,                 -- the project status; the attestation's publisher identity
    detail       VARCHAR,                 -- the status reason given, or why it was not collected
    collected_at TIMESTAMP NOT NULL,
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (purl, version, signal, source)
);
