-- The truck factor's file filter (collectors/git/filters.py), applied once per file by the git collector
-- rather than to every file by every scoring run: the scores of a repository with a hundred new commits no
-- longer run some twenty patterns over each of its thousands of files.
-- repository_files.category: the filter category that excludes the file (vendor, docs, test-data, ...), NULL
--                  when the file counts.
-- history_state.filter_key: the fingerprint of the filter the categories were computed with
--                  (filters.FileFilter.fingerprint). The scores use the stored categories only when it equals
--                  the fingerprint of the filter they score with, and filter the files themselves otherwise;
--                  the next mining recomputes every category of a repository whose key differs.
ALTER TABLE repository_files ADD COLUMN category VARCHAR;
ALTER TABLE history_state ADD COLUMN filter_key VARCHAR;
