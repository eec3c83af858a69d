-- Budget proposals, saved with their parameters so a later run can show what changed and why.
CREATE TABLE budget_proposals (
    proposal_id BIGINT PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    method      VARCHAR NOT NULL,            -- need | equal | stackaid | usage
    total       BIGINT NOT NULL,             -- whole currency units
    currency    VARCHAR NOT NULL,            -- ISO 4217
    parameters  JSON NOT NULL,               -- every option the proposal was computed with
    data_as_of  TIMESTAMP,                   -- end of the last trusted run whose data it used
    run_id      BIGINT NOT NULL
);

CREATE TABLE budget_lines (
    proposal_id BIGINT NOT NULL,
    position    INTEGER NOT NULL,            -- 1 = largest amount
    project     VARCHAR NOT NULL,            -- repository URL, or the purl when no repository is known
    packages    VARCHAR[] NOT NULL,
    amount      BIGINT NOT NULL,
    weight      DOUBLE NOT NULL,
    platform    VARCHAR,                     -- the channel's platform, NULL when none is known
    channel     VARCHAR NOT NULL,            -- the channel as shown, or 'no channel: contact the maintainers'
    recipients  VARCHAR[],                   -- GitHub Sponsors logins where the data names them
    rationale   VARCHAR NOT NULL,
    run_id      BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, position)
);
