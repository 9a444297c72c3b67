-- What a source says about itself and the report data kept per source rather than per object:
-- the vCenter's identity (instance UUID, version, build, API version), its licenses and its
-- resource pools, in one sealed document per source, rewritten by a full sync when it changed.
CREATE TABLE source_info (
  source_id  INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL -- about, licenses, resource pools
) STRICT;
