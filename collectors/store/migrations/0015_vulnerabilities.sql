-- Known vulnerabilities of the package versions in use, and which sources looked at which versions, so that
-- "no vulnerability known" (covered, nothing found) is told apart from "not collected" (no coverage row).

CREATE TABLE vulnerability_advisories (
    id          VARCHAR PRIMARY KEY,      -- GHSA-..., CVE-..., PYSEC-..., as the source names it
    aliases     VARCHAR[],
    summary     VARCHAR,
    severity    VARCHAR,                  -- low | medium | high | critical, NULL when no source gives one
    cvss_score  DOUBLE,
    cvss_vector VARCHAR,
    published   TIMESTAMP,
    modified    TIMESTAMP,
    url         VARCHAR,
    run_id      BIGINT NOT NULL
);

CREATE TABLE package_vulnerabilities (
    purl        VARCHAR NOT NULL,         -- versionless canonical purl
    version     VARCHAR NOT NULL,         -- the version in use it affects
    advisory_id VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,         -- cyclonedx | osv-scanner | osv | pypi
    ranges      VARCHAR[],                -- affected ranges as the source states them
    fixed       VARCHAR[],                -- versions that fix it, when known
    state       VARCHAR,                  -- VEX analysis state (not_affected, exploitable, ...), or NULL
    run_id      BIGINT NOT NULL,
    PRIMARY KEY (purl, version, advisory_id, source)
);

CREATE TABLE vulnerability_coverage (
    purl         VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    collected_at TIMESTAMP NOT NULL,
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (purl, version, source)
);
