-- A sealed copy of the VM list as lists, filters and search read it (not the whole documents),
-- in parts of 4,096 VM ids. Unlock reads these few large rows instead of opening every VM row.
-- It is derived data: every entry carries the seq of the row it was built from, and an entry
-- whose row has moved on since is ignored (that row is opened instead).
CREATE TABLE vm_snapshot (
  part       INTEGER PRIMARY KEY,  -- VMs with part * 4096 <= id < (part + 1) * 4096
  upto_seq   INTEGER NOT NULL,     -- the largest row seq the part reflects
  vm_count   INTEGER NOT NULL,
  format     INTEGER NOT NULL,     -- layout of doc; a part in another layout is rewritten
  written_at INTEGER NOT NULL,
  doc        BLOB NOT NULL
) STRICT;
