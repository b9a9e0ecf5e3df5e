-- Views for the questions analysts ask most (README "The archive: SQL interface"; Datasette's
-- metadata.yaml describes the same). Days are UTC dates of articles.reported_at.

-- How many articles (and stories) stated each fact, per day and language.
CREATE VIEW fact_daily AS
SELECT m.fact_id,
       substr(a.reported_at, 1, 10) AS day,
       a.lang,
       count(DISTINCT a.id) AS articles,
       count(DISTINCT a.story_id) AS stories,
       count(DISTINCT coalesce(a.duplicate_of, a.id)) AS distinct_texts
FROM fact_mentions m JOIN articles a ON a.id = m.article_id
GROUP BY m.fact_id, day, a.lang;

-- Every figure reported for a fact, in time order, against the tracked one.
CREATE VIEW fact_figures AS
SELECT m.fact_id,
       a.reported_at,
       m.value,
       m.unit,
       m.figure,
       m.agrees,
       f.value AS tracked_value,
       f.unit AS tracked_unit,
       a.lang,
       a.source AS outlet,
       a.id AS article_id,
       a.story_id,
       a.url,
       m.sentence
FROM fact_mentions m
JOIN articles a ON a.id = m.article_id
JOIN facts f ON f.id = m.fact_id
WHERE m.value IS NOT NULL;

-- Outlets by how often they carry a story first (on-topic stories only), and how many they carried.
CREATE VIEW outlet_firsts AS
WITH carried AS (
    SELECT a.source AS outlet, a.story_id, min(a.reported_at) AS first_at
    FROM articles a WHERE a.on_topic = 1 AND a.story_id IS NOT NULL
    GROUP BY a.source, a.story_id
)
SELECT c.outlet,
       sum(c.outlet = s.source) AS stories_first,
       count(*) AS stories_carried,
       round(1.0 * sum(c.outlet = s.source) / count(*), 3) AS first_share
FROM carried c JOIN articles s ON s.id = c.story_id
GROUP BY c.outlet;

-- Syndication: every text carried by more than one outlet, its original and its copies' reach.
CREATE VIEW syndication_groups AS
SELECT o.id AS original_id,
       o.source AS original_outlet,
       o.title AS original_title,
       o.lang,
       o.reported_at AS first_reported_at,
       count(c.id) AS copies,
       count(DISTINCT c.source) AS outlets,
       group_concat(DISTINCT c.source) AS copied_by,
       max(c.reported_at) AS last_reported_at,
       o.story_id
FROM articles o JOIN articles c ON c.duplicate_of = o.id
GROUP BY o.id;
