-- Full-text search that Datasette recognizes: articles_fts becomes an external-content FTS5 table
-- over articles (content="articles", content_rowid="id"), so `?_search=` on the articles table
-- (and its search box) uses it. What is indexed does not change: monitor.text.search_text, CJK runs
-- spelled as overlapping bigrams so that 2-character Korean and Japanese words are found; the
-- archive writes it with each article, and this migration rebuilds the index with search_text(),
-- a SQL function the migrator registers. The text itself is read from articles (nothing stored
-- twice). Never run the FTS 'rebuild' command on it: it would index the raw text instead.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content="articles", content_rowid="id", tokenize='unicode61 remove_diacritics 2');
INSERT INTO articles_fts (rowid, title, text) SELECT id, search_text(title), search_text(text) FROM articles;
