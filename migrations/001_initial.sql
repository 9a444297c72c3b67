-- vmi cache schema. Plaintext columns are only row keys, foreign keys, blind indexes (nkey:
-- keyed hashes of natural keys), timestamps (ms since epoch) and seq; everything else is in
-- `doc`, one XChaCha20-Poly1305 document per row with "table:id" as associated data.
-- `seq` comes from one counter for the whole file, so readers tail any table with seq > N.

CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta(name, value) VALUES ('seq', '0'), ('key_generation', '0');

-- Sealed secrets of the cache itself (the audit inbox secret key).
CREATE TABLE vault (
  id  INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  doc BLOB NOT NULL
) STRICT;

-- vmi users. The user name is the row key (needed to find the keyslot before unlocking);
-- full name, e-mail, role and the rest are sealed.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  seq           INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_login_at INTEGER,
  disabled_at   INTEGER,
  doc           BLOB NOT NULL
) STRICT;

-- One keyslot per enabled user, in place of sessions: Argon2id parameters and salt, the user's
-- public key, their secret key wrapped by the passphrase, the data key sealed to the public key.
CREATE TABLE keyslots (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  kdf         TEXT NOT NULL,
  salt        BLOB NOT NULL,
  opslimit    INTEGER NOT NULL,
  memlimit    INTEGER NOT NULL,
  public_key  BLOB NOT NULL,
  sk_nonce    BLOB NOT NULL,
  sk_wrapped  BLOB NOT NULL,
  dk_sealed   BLOB NOT NULL,
  must_change INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

-- Sources as the cache knows them (name, platform, url sealed); config.json is where they are edited.
CREATE TABLE sources (
  id         INTEGER PRIMARY KEY,
  nkey       BLOB NOT NULL UNIQUE,
  seq        INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL
) STRICT;

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER REFERENCES sources(id) ON DELETE SET NULL,
  seq         INTEGER NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  doc         BLOB NOT NULL -- platform, status, counts, failure reason
) STRICT;
CREATE INDEX sync_runs_source ON sync_runs(source_id, started_at);

CREATE TABLE owners (
  id         INTEGER PRIMARY KEY,
  nkey       BLOB NOT NULL UNIQUE, -- blind index of the lower-cased e-mail
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  seq        INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL -- full name, e-mail, designation, department
) STRICT;

-- Inventory objects share one shape: source, blind natural key, first/last seen, deleted time.
CREATE TABLE datacenters (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE clusters (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  datacenter_id INTEGER REFERENCES datacenters(id) ON DELETE SET NULL,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE hosts (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE datastore_clusters (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE datastores (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  datastore_cluster_id INTEGER REFERENCES datastore_clusters(id) ON DELETE SET NULL,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE datastore_mounts (
  datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
  host_id      INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  PRIMARY KEY (datastore_id, host_id)
) STRICT;

-- Distributed (dvs) and standard (vss) switches.
CREATE TABLE switches (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  host_id INTEGER REFERENCES hosts(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

-- Networks: distributed portgroups, standard portgroups and plain networks, with VLANs (sealed).
CREATE TABLE networks (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  switch_id INTEGER REFERENCES switches(id) ON DELETE SET NULL,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL
) STRICT;

CREATE TABLE vmkernel_adapters (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  host_id INTEGER REFERENCES hosts(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, deleted_at INTEGER, doc BLOB NOT NULL -- device, ip, mac, mtu, portgroup, services
) STRICT;

-- The VM master row: one sealed document holds identity, facts, NICs with their IPs and disks.
CREATE TABLE vms (
  id               INTEGER PRIMARY KEY,
  source_id        INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  host_id          INTEGER REFERENCES hosts(id) ON DELETE SET NULL,
  cluster_id       INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
  nkey             BLOB NOT NULL UNIQUE,
  seq              INTEGER NOT NULL,
  first_seen_at    INTEGER NOT NULL,
  last_seen_at     INTEGER NOT NULL,
  fact_updated_at  INTEGER NOT NULL,
  deleted_at       INTEGER,
  last_sync_run_id INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
  doc              BLOB NOT NULL
) STRICT;
CREATE INDEX vms_seq ON vms(seq);

-- Raw vendor payloads, sealed apart so that only a detail view pays for them.
CREATE TABLE vm_raw (
  vm_id      INTEGER PRIMARY KEY REFERENCES vms(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL
) STRICT;

-- What people set by hand; a sync never writes here.
CREATE TABLE vm_manual (
  vm_id              INTEGER PRIMARY KEY REFERENCES vms(id) ON DELETE CASCADE,
  business_owner_id  INTEGER REFERENCES owners(id) ON DELETE SET NULL,
  technical_owner_id INTEGER REFERENCES owners(id) ON DELETE SET NULL,
  updated_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
  seq                INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  doc                BLOB NOT NULL -- project, environment, notes, overrides of power/cluster/hostname/OS
) STRICT;
CREATE INDEX vm_manual_tech ON vm_manual(technical_owner_id);
CREATE INDEX vm_manual_bus ON vm_manual(business_owner_id);

CREATE TABLE vm_tags (
  id         INTEGER PRIMARY KEY,
  vm_id      INTEGER NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
  nkey       BLOB NOT NULL UNIQUE, -- blind index of (vm, tag)
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  seq        INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  doc        BLOB NOT NULL
) STRICT;
CREATE INDEX vm_tags_vm ON vm_tags(vm_id);

CREATE TABLE vm_manual_ips (
  id         INTEGER PRIMARY KEY,
  vm_id      INTEGER NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  doc        BLOB NOT NULL -- ip, primary, label
) STRICT;
CREATE INDEX vm_manual_ips_vm ON vm_manual_ips(vm_id);

CREATE TABLE vm_custom_fields (
  id         INTEGER PRIMARY KEY,
  vm_id      INTEGER NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
  nkey       BLOB NOT NULL UNIQUE, -- blind index of (vm, field key)
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL
) STRICT;
CREATE INDEX vm_custom_fields_vm ON vm_custom_fields(vm_id);

CREATE TABLE alarms (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, triggered_at INTEGER NOT NULL,
  cleared_at INTEGER, doc BLOB NOT NULL -- entity, alarm name, status
) STRICT;

CREATE TABLE events (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  nkey BLOB NOT NULL UNIQUE, seq INTEGER NOT NULL, created_at INTEGER NOT NULL,
  doc BLOB NOT NULL -- type, severity, message, entity, user
) STRICT;
CREATE INDEX events_time ON events(created_at);

CREATE TABLE host_samples (
  id         INTEGER PRIMARY KEY,
  host_id    INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  sampled_at INTEGER NOT NULL,
  doc        BLOB NOT NULL -- cpu %, memory %
) STRICT;
CREATE INDEX host_samples_host ON host_samples(host_id, sampled_at);

-- Change history: one row per changed field of an object in a sync run.
CREATE TABLE changes (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER REFERENCES sources(id) ON DELETE SET NULL,
  sync_run_id  INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
  object_table TEXT NOT NULL, -- vms, hosts, datastores, networks
  object_id    INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  changed_at   INTEGER NOT NULL,
  doc          BLOB NOT NULL -- change type, field, old, new
) STRICT;
CREATE INDEX changes_object ON changes(object_table, object_id);
CREATE INDEX changes_time ON changes(changed_at);

-- Hash-chained audit trail: hash = keyed BLAKE2b(prev_hash, id, time, user, plaintext entry).
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  seq        INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL,
  doc        BLOB NOT NULL -- action, resource type and id, details (never secrets)
) STRICT;

-- Entries written without the data key (failed unlocks), sealed to the cache's audit public key;
-- the next successful unlock moves them into the chain.
CREATE TABLE audit_inbox (
  id         INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  box        BLOB NOT NULL
) STRICT;

CREATE TABLE settings (
  id         INTEGER PRIMARY KEY,
  nkey       BLOB NOT NULL UNIQUE,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc        BLOB NOT NULL -- key, value, description
) STRICT;

-- Hard deletes leave a tombstone so that readers tailing by seq notice them.
CREATE TABLE tombstones (
  seq        INTEGER PRIMARY KEY,
  tbl        TEXT NOT NULL,
  row_id     INTEGER NOT NULL,
  deleted_at INTEGER NOT NULL
) STRICT;

CREATE INDEX datacenters_seq ON datacenters(seq);
CREATE INDEX clusters_seq ON clusters(seq);
CREATE INDEX hosts_seq ON hosts(seq);
CREATE INDEX datastore_clusters_seq ON datastore_clusters(seq);
CREATE INDEX datastores_seq ON datastores(seq);
CREATE INDEX switches_seq ON switches(seq);
CREATE INDEX networks_seq ON networks(seq);
CREATE INDEX vmkernel_adapters_seq ON vmkernel_adapters(seq);
CREATE INDEX vm_manual_seq ON vm_manual(seq);
CREATE INDEX vm_tags_seq ON vm_tags(seq);
CREATE INDEX owners_seq ON owners(seq);
CREATE INDEX changes_seq ON changes(seq);
CREATE INDEX alarms_seq ON alarms(seq);
CREATE INDEX events_seq ON events(seq);
CREATE INDEX audit_log_seq ON audit_log(seq);
