-- Indexes for reading (measured by bench/archive.py on 100k articles): the digest's feed health
-- reads each feed's newest entry; syndication_groups reads only the copies.
CREATE INDEX entries_feed_seen ON entries(feed_id, first_seen_at);
CREATE INDEX articles_copies ON articles(duplicate_of, reported_at, source) WHERE duplicate_of IS NOT NULL;
