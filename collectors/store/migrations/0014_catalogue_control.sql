-- Who really controls an implementation and how current the catalogue's facts are (issue 20):
-- steward parents (CNCF -> Linux Foundation), licensors beside stewards, why an implementation does not
-- conform, what it depends on and whose API it offers, newer editions of standards, and the date each
-- entry's facts were last checked against their source.

ALTER TABLE cat_standards ADD COLUMN superseded_by VARCHAR;   -- cat_standards.id of the newer edition
ALTER TABLE cat_standards ADD COLUMN checked DATE;

ALTER TABLE cat_stewards ADD COLUMN parent VARCHAR;           -- cat_stewards.id of the controlling organisation
ALTER TABLE cat_stewards ADD COLUMN parent_since VARCHAR;     -- when it joined the parent: 2025-09-03, or a year
ALTER TABLE cat_stewards ADD COLUMN parent_source VARCHAR;
ALTER TABLE cat_stewards ADD COLUMN ultimate_parent VARCHAR;  -- the top of the parent chain (itself if none)
ALTER TABLE cat_stewards ADD COLUMN checked DATE;

ALTER TABLE cat_interfaces ADD COLUMN checked DATE;

ALTER TABLE cat_implementations ADD COLUMN conformance_note VARCHAR;
ALTER TABLE cat_implementations ADD COLUMN licensor VARCHAR;  -- cat_stewards.id selling the licence
ALTER TABLE cat_implementations ADD COLUMN licensor_source VARCHAR;
ALTER TABLE cat_implementations ADD COLUMN depends_on VARCHAR[];
ALTER TABLE cat_implementations ADD COLUMN drop_in_for VARCHAR[];
ALTER TABLE cat_implementations ADD COLUMN drop_in_evidence VARCHAR;
ALTER TABLE cat_implementations ADD COLUMN checked DATE;
