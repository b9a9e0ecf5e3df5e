-- The SQLite migrations 012 and 013 on PostgreSQL (see them for the why).

-- 012: copies are looked for among the articles reported within monitor.dedup.COPY_WINDOW_DAYS days
-- of each other; the band index carries each article's reported day (whole days since 1970-01-01
-- of the date of articles.reported_at, UTC: monitor/store/stories.py, _reported_day).
ALTER TABLE minhash_bands ADD COLUMN day INTEGER;
UPDATE minhash_bands b SET day = (substr(a.reported_at, 1, 10)::date - date '1970-01-01')
FROM articles a WHERE a.id = b.article_id;
ALTER TABLE minhash_bands ALTER COLUMN day SET NOT NULL;
ALTER TABLE minhash_bands DROP CONSTRAINT minhash_bands_pkey;
ALTER TABLE minhash_bands ADD PRIMARY KEY (key, day, article_id);

-- 013: an aggregator's entry is matched to a known entry by its headline's matching form
-- (monitor.matching.title_key, computed by the store as entries arrive; entries seen before this
-- migration have none and are not matched: their redirects are asked, as before).
ALTER TABLE entries ADD COLUMN title_key TEXT COLLATE "C";
CREATE INDEX entries_title_key ON entries(title_key);
ALTER TABLE link_resolutions ADD COLUMN method TEXT;
CREATE TABLE site_url_rules (
    site TEXT COLLATE "C" NOT NULL,
    rule TEXT COLLATE "C" NOT NULL,
    learned_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site, rule)
);
