-- The archive's first schema. Public tables (kept stable for users' SQL): feeds, articles,
-- article_urls, facts, fact_mentions, articles_fts. The rest is the pipeline's working state.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sorts as text; SQLite date functions read it).

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('topical', 'general')),
    title TEXT,
    poll_interval INTEGER NOT NULL,              -- seconds
    active INTEGER NOT NULL DEFAULT 1,           -- 0 once the feed is gone from feeds.yaml
    last_polled_at TEXT,
    last_status TEXT,                            -- 'ok', 'not_modified', 'unchanged', 'error: ...'
    error_count INTEGER NOT NULL DEFAULT 0,      -- consecutive failed polls
    next_poll_at TEXT,
    etag TEXT,
    last_modified TEXT,
    body_sha256 TEXT,                            -- hash of the last body: an unchanged feed is not parsed again
    format TEXT,                                 -- rss20, atom10, rss10, ...
    encoding TEXT,
    problem TEXT                                 -- what was wrong with the last document (malformed, ...)
);

-- Every feed entry seen, and where its article stands: the pipeline's durable work queue.
-- A run killed at any point leaves 'pending' rows that the next run completes.
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    entry_key TEXT NOT NULL,                     -- guid, else link
    link TEXT NOT NULL,                          -- as the feed gave it
    title TEXT,
    summary TEXT,
    published TEXT,                              -- as the feed wrote it
    author TEXT,
    source_name TEXT,                            -- aggregator feeds: the outlet credited by the entry
    source_url TEXT,
    first_seen_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'done', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    article_id INTEGER REFERENCES articles(id),
    UNIQUE (feed_id, entry_key)
);
CREATE INDEX entries_pending ON entries(state, next_attempt_at);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,                    -- canonical URL
    title TEXT,
    lang TEXT,
    source TEXT,                                 -- outlet (site name, else the feed's outlet)
    published_at TEXT,                           -- UTC
    published_offset TEXT,                       -- the offset it was written in, e.g. '+09:00'
    fetched_at TEXT NOT NULL,
    text TEXT,
    on_topic INTEGER,                            -- filled by relevance (fact-linking issue)
    duplicate_of INTEGER REFERENCES articles(id),-- filled by near-duplicate detection
    story_id INTEGER,                            -- filled by story clustering
    author TEXT,
    summary TEXT,                                -- the feed's summary
    extraction TEXT NOT NULL                     -- 'page': main text of the page; 'summary': the page
        CHECK (extraction IN ('page', 'summary', 'feed_only')), -- gave none, text is the feed's summary;
                                                 -- 'feed_only': page not fetched (see extraction_note)
    extraction_note TEXT,
    text_chars INTEGER,
    content_hash TEXT,                           -- exact-duplicate key of the normalized text
    feed_id INTEGER REFERENCES feeds(id)         -- the feed it was first seen in
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_published_at ON articles(published_at);

CREATE TABLE article_urls (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id)
);
CREATE INDEX article_urls_article ON article_urls(article_id);

-- Aggregator links (Google News) and where they lead; resolved_url NULL = could not be resolved.
CREATE TABLE link_resolutions (
    link TEXT PRIMARY KEY,
    resolved_url TEXT,
    resolved_at TEXT NOT NULL,
    error TEXT
);

CREATE TABLE facts (
    id TEXT PRIMARY KEY,
    statement TEXT NOT NULL,
    value REAL,
    unit TEXT
);

CREATE TABLE fact_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    fact_id TEXT NOT NULL REFERENCES facts(id),
    sentence TEXT NOT NULL,
    value REAL,
    unit TEXT,
    agrees INTEGER
);
CREATE INDEX fact_mentions_article ON fact_mentions(article_id);
CREATE INDEX fact_mentions_fact ON fact_mentions(fact_id);

-- Every request: feed polls, page fetches, robots.txt, link resolution.
CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    purpose TEXT NOT NULL,                       -- 'feed', 'page', 'robots', 'resolve'
    url TEXT NOT NULL,
    status INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    elapsed_ms INTEGER,
    error TEXT
);
CREATE INDEX fetch_log_at ON fetch_log(at);

-- Full-text index of title and text. CJK runs are stored as overlapping bigrams (see
-- monitor.text.search_text), so 2-character Korean and Japanese words are found; the trigram
-- tokenizer cannot find them. Contentless: the text lives in articles; rowid = articles.id.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', tokenize='unicode61 remove_diacritics 2');
