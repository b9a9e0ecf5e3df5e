-- Names the story acquires (issue 13): the press names the program's company (a tentative name at
-- its founding, the developer's name later) and the monitor learns each name once enough outlets
-- report it. `story_names` lists every name reported for a fact in an on-topic article, with its
-- provenance; `name_decisions` holds the user's confirmations and rejections (`monitor names`).
CREATE TABLE name_decisions (
    name TEXT PRIMARY KEY,                      -- as reported ("Noetra", "ノエトラ")
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    decided_at TEXT NOT NULL
);

CREATE VIEW story_names AS
SELECT m.name,
       m.fact_id,
       COUNT(DISTINCT a.id) AS articles,
       COUNT(DISTINCT COALESCE(a.source, a.url)) AS outlets,
       MIN(a.reported_at) AS first_seen,
       (SELECT a2.id FROM fact_mentions m2 JOIN articles a2 ON a2.id = m2.article_id
         WHERE m2.name = m.name AND a2.on_topic = 1 ORDER BY a2.reported_at, a2.id LIMIT 1) AS first_article_id,
       GROUP_CONCAT(DISTINCT a.lang) AS languages,
       d.decision
FROM fact_mentions m
JOIN articles a ON a.id = m.article_id
LEFT JOIN name_decisions d ON d.name = m.name
WHERE m.name IS NOT NULL AND a.on_topic = 1
GROUP BY m.name, m.fact_id;
