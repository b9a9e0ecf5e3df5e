-- Adaptive polling and failure backoff (daemon issue): per-feed scheduling state, and a small
-- key/value table for the daemon (heartbeat, last digest written).

ALTER TABLE feeds ADD COLUMN interval_s REAL;                    -- current regular interval (adapts)
ALTER TABLE feeds ADD COLUMN fixed_interval INTEGER NOT NULL DEFAULT 0;  -- 1: poll_interval is fixed
ALTER TABLE feeds ADD COLUMN failure_weight REAL NOT NULL DEFAULT 0;    -- weighted consecutive failures
ALTER TABLE feeds ADD COLUMN last_error TEXT;                    -- reason of the last failure
ALTER TABLE feeds ADD COLUMN last_success_at TEXT;
ALTER TABLE feeds ADD COLUMN last_entry_count INTEGER;           -- entries in the last document
ALTER TABLE feeds ADD COLUMN last_new_count INTEGER;             -- of which new

CREATE TABLE monitor_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
