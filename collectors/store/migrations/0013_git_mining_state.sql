-- What a repository's stored history and derived tables were made from, so that a refresh with nothing new
-- does no repeated work, and a change of parameters is never mixed with history mined under others.
-- mined_with: the mining parameters of the stored commits (rename detection limit); a different value
--             mines the history again.
-- derived_key: a fingerprint of the analysed commit and every input of the derived tables (identity rules,
--              aliases, .mailmap); equal keys mean files, identities, contributors and funding links are
--              current, and the maintainer scores may reuse a truck factor computed from the same inputs.
ALTER TABLE repositories ADD COLUMN mined_with VARCHAR;
ALTER TABLE repositories ADD COLUMN derived_key VARCHAR;
