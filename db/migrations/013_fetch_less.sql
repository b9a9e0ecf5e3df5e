-- Fetch less: an aggregator's entry is matched to a known entry by its headline, outlet and time
-- before its redirect is asked (monitor/matching.py); AMP and mobile URLs go to the canonical page
-- once a site showed how its variants map (monitor/urls.py, variant_rules).

-- Each entry's headline in its matching form (NULL when too short to match on), indexed.
ALTER TABLE entries ADD COLUMN title_key TEXT;
UPDATE entries SET title_key = nullif(title_key(title, source_name), '');
CREATE INDEX entries_title_key ON entries(title_key);

-- How an aggregator link's target was learned: 'redirect' (asked: its Location), 'decoded' (read
-- from the link itself), 'matched' (its headline, outlet and time named a known article: not asked).
ALTER TABLE link_resolutions ADD COLUMN method TEXT;

-- How a site's AMP and mobile URLs map to its canonical ones, learned from its pages' rel=canonical:
-- 'amp' (AMP path and query forms dropped) or 'host:<mobile host>><canonical host>'.
CREATE TABLE site_url_rules (
    site TEXT NOT NULL,          -- host without www./m./amp.
    rule TEXT NOT NULL,
    learned_at TEXT NOT NULL,
    PRIMARY KEY (site, rule)
) WITHOUT ROWID;
