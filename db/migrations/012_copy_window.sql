-- Copies are looked for among the articles reported within monitor.dedup.COPY_WINDOW_DAYS days of
-- each other: the band index carries each article's reported day after the band key, so a lookup
-- reads only that window of the index, however large the archive grows.
-- day: whole days since 1970-01-01 of articles.reported_at (UTC), the expression of
-- monitor/store/stories.py (_REPORTED_DAY).
CREATE TABLE minhash_bands_by_day (
    key INTEGER NOT NULL,               -- hash of (band number, the band's minima)
    day INTEGER NOT NULL,               -- the article's reported day
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (key, day, article_id)
) WITHOUT ROWID;
INSERT INTO minhash_bands_by_day (key, day, article_id)
SELECT b.key, CAST(julianday(substr(a.reported_at, 1, 10)) - 2440587.5 AS INTEGER), b.article_id
FROM minhash_bands b JOIN articles a ON a.id = b.article_id;
DROP TABLE minhash_bands;
ALTER TABLE minhash_bands_by_day RENAME TO minhash_bands;
