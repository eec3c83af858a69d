-- Which worker mined which repository in which run: host:pid for a local process, the worker's address
-- (tcp://host:port) on a Dask cluster. The key makes "nothing is written twice" a constraint: a repository
-- applied twice in one run fails its transaction instead of being written again.
CREATE TABLE repository_miners (
    run_id         BIGINT NOT NULL,
    repository_url VARCHAR NOT NULL,
    worker         VARCHAR NOT NULL,
    PRIMARY KEY (run_id, repository_url)
);
