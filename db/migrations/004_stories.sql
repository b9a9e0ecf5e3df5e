-- Near-duplicates and stories. articles.duplicate_of points to the earliest copy of a text carried
-- by several outlets (NULL for that copy itself and for articles nobody copied); articles.story_id
-- is the id of the story's first report (so a story's id is an article id).
-- "Earliest" orders articles by articles.reported_at, then id.

-- When the article was first reported: its publication time, but never later than when we fetched
-- it (feeds that stamp entries with a future or a refreshed date).
ALTER TABLE articles ADD COLUMN reported_at TEXT;
UPDATE articles SET reported_at = CASE
    WHEN published_at IS NOT NULL AND published_at < fetched_at THEN published_at ELSE fetched_at END;
CREATE INDEX articles_reported ON articles(reported_at, id);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_story ON articles(story_id);

-- MinHash signature of each article's text (monitor.dedup) and its LSH band keys: the candidate
-- copies of a new article are the articles sharing a band key, found through the index without
-- reading the archive.
CREATE TABLE article_signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    shingles INTEGER NOT NULL,          -- distinct character shingles in the text
    minhash BLOB NOT NULL               -- 128 little-endian uint64 minima
);
CREATE TABLE minhash_bands (
    key INTEGER NOT NULL,               -- hash of (band number, the band's minima)
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- What an article shares with others on the same event, in any language (monitor.stories).
CREATE TABLE story_features (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    features TEXT NOT NULL              -- JSON: facts, figures, sources, names
);

-- Every story: its first report and how far it was carried.
CREATE VIEW stories AS
SELECT s.id AS story_id,
       s.reported_at AS first_reported_at,
       s.source AS first_outlet,
       s.title AS first_title,
       s.lang AS first_lang,
       s.url AS first_url,
       count(a.id) AS articles,
       count(a.duplicate_of) AS copies,
       count(DISTINCT a.source) AS outlets,
       group_concat(DISTINCT a.lang) AS languages,
       max(a.reported_at) AS last_reported_at
FROM articles s JOIN articles a ON a.story_id = s.id
WHERE s.story_id = s.id
GROUP BY s.id;

-- Which outlets and feeds carried each story, when, and which text they carried (original_id: the
-- earliest copy of that text). One row per feed entry that led to an article.
CREATE VIEW story_carriers AS
SELECT a.story_id,
       coalesce(a.duplicate_of, a.id) AS original_id,
       a.id AS article_id,
       a.source AS outlet,
       f.name AS feed,
       a.lang,
       a.reported_at,
       e.first_seen_at AS seen_at,
       a.url,
       a.title
FROM articles a
JOIN entries e ON e.article_id = a.id
JOIN feeds f ON f.id = e.feed_id;
