-- Fact linking: the facts as defined in facts.yaml, the relevance decision per article, every
-- mention with its evidence, the outlets an article credits, and the candidate updates (figures
-- that differ from the tracked one, names not yet tracked) as a view.

ALTER TABLE facts ADD COLUMN statement_ko TEXT;
ALTER TABLE facts ADD COLUMN statement_ja TEXT;
ALTER TABLE facts ADD COLUMN tolerance REAL;             -- relative: 0.1 = within 10%
ALTER TABLE facts ADD COLUMN period TEXT;
ALTER TABLE facts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;  -- 0: no longer in facts.yaml

ALTER TABLE articles ADD COLUMN relevance_score REAL;
ALTER TABLE articles ADD COLUMN relevance_reasons TEXT;  -- JSON list of the decision's reasons
ALTER TABLE articles ADD COLUMN facts_version TEXT;      -- digest of the facts.yaml the links come from

ALTER TABLE fact_mentions ADD COLUMN sentence_index INTEGER;  -- position of the sentence in the text, from 0
ALTER TABLE fact_mentions ADD COLUMN figure TEXT;        -- the figure as written ("3,873億円")
ALTER TABLE fact_mentions ADD COLUMN approx INTEGER;     -- 1: hedged (約, 약, about)
ALTER TABLE fact_mentions ADD COLUMN bound TEXT;         -- min (超, 이상, more than) | max
ALTER TABLE fact_mentions ADD COLUMN name TEXT;          -- a new proper name the sentence gives (candidate update)
ALTER TABLE fact_mentions ADD COLUMN terms TEXT;         -- JSON list of the phrases that matched

CREATE TABLE article_attributions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    outlet TEXT NOT NULL,       -- canonical name ("Yomiuri Shimbun")
    phrase TEXT NOT NULL,       -- as written, folded ("読売新聞")
    sentence TEXT NOT NULL,
    PRIMARY KEY (article_id, outlet)
);
CREATE INDEX article_attributions_outlet ON article_attributions(outlet);
CREATE INDEX articles_facts_version ON articles(facts_version);

-- A candidate update: a figure for a fact that differs from the tracked one, or a name the press
-- gives that the fact's terms do not hold yet. One row per distinct figure (or name), with its
-- first source and date and how widely it has been reported.
CREATE VIEW candidate_updates AS
WITH reported AS (
    SELECT m.fact_id, 'figure' AS kind, m.value, m.unit, NULL AS name, a.id AS article_id, a.lang,
           COALESCE(a.published_at, a.fetched_at) AS seen
    FROM fact_mentions m JOIN articles a ON a.id = m.article_id
    WHERE a.on_topic = 1 AND m.agrees = 0
    UNION ALL
    SELECT m.fact_id, 'name', NULL, NULL, m.name, a.id, a.lang, COALESCE(a.published_at, a.fetched_at)
    FROM fact_mentions m JOIN articles a ON a.id = m.article_id
    WHERE a.on_topic = 1 AND m.name IS NOT NULL
)
SELECT fact_id, kind, value, unit, name,
       MIN(seen) AS first_seen,
       COUNT(DISTINCT article_id) AS articles,
       COUNT(DISTINCT lang) AS languages,
       (SELECT r2.article_id FROM reported r2
         WHERE r2.fact_id = r.fact_id AND r2.kind = r.kind
           AND r2.value IS r.value AND r2.unit IS r.unit AND r2.name IS r.name
         ORDER BY r2.seen, r2.article_id LIMIT 1) AS first_article_id
FROM reported r
GROUP BY fact_id, kind, value, unit, name;
