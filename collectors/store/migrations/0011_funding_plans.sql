-- What a repository's funding.json (https://fundingjson.org/) asks for and says it received: budgets size
-- or cap a line by the plans and show the history. Replaced per repository each time its files are read.
CREATE TABLE funding_plans (
    repository_url VARCHAR NOT NULL,
    guid           VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,        -- active | inactive
    amount         DOUBLE NOT NULL,         -- 0 = any amount
    currency       VARCHAR NOT NULL,        -- ISO 4217
    frequency      VARCHAR NOT NULL,        -- one-time | weekly | fortnightly | monthly | yearly | other
    run_id         BIGINT NOT NULL
);

CREATE TABLE funding_history (
    repository_url VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    amount         DOUBLE NOT NULL,
    currency       VARCHAR NOT NULL,
    description    VARCHAR NOT NULL,
    run_id         BIGINT NOT NULL
);
