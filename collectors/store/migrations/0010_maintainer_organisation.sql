-- The organisation a registry names for a package's person (Maven POM developers and contributors carry
-- <organization>): who employs the people behind a package is part of who controls it. NULL: not stated.
ALTER TABLE package_maintainers ADD COLUMN organisation VARCHAR;
