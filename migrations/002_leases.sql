-- One lease per source: only its holder polls that source; others take over once it expires.
-- holder is "hostname:pid:random", plaintext so that the screen can say who polls a source.
CREATE TABLE leases (
  source_id    INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  holder       TEXT NOT NULL,
  acquired_at  INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;

-- Readers tail every table by seq; these are the tables that had no seq index yet.
CREATE INDEX sources_seq ON sources(seq);
CREATE INDEX sync_runs_seq ON sync_runs(seq);
CREATE INDEX users_seq ON users(seq);
CREATE INDEX vm_raw_seq ON vm_raw(seq);
CREATE INDEX vm_manual_ips_seq ON vm_manual_ips(seq);
CREATE INDEX vm_custom_fields_seq ON vm_custom_fields(seq);
CREATE INDEX host_samples_seq ON host_samples(seq);
CREATE INDEX settings_seq ON settings(seq);
