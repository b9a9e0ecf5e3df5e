-- Several workers on one archive (PostgreSQL only; a SQLite archive has one process at a time,
-- under its file lock). A due feed or a pending entry is leased by the worker that works on it:
-- leased_by names the worker (host:pid:nonce), lease_until is when another may take it over (a
-- worker killed mid-run). Times by the database's clock, so workers on several machines agree.
ALTER TABLE feeds ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE feeds ADD COLUMN leased_by TEXT COLLATE "C";
ALTER TABLE entries ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE entries ADD COLUMN leased_by TEXT COLLATE "C";
CREATE INDEX feeds_due ON feeds(next_poll_at) WHERE active = 1;
CREATE INDEX entries_pending_link ON entries(link) WHERE state = 'pending';  -- one worker per link at a time

-- Politeness across workers: the earliest start of the next request to each host, and until when
-- the host asked everyone to wait (429/503 with Retry-After), by the database's clock (monitor.store.hosts).
CREATE TABLE host_slots (
    host TEXT COLLATE "C" PRIMARY KEY,
    next_start TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ
);
