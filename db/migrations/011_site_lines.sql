-- Page furniture learned per site: the short lines extraction left in a site's articles (a pull
-- quote of the template, a reaction prompt, a related-stories box), counted by article. A line
-- that two articles of one site share is the site's furniture and is left out of its later
-- articles (monitor/extract.py, drop_furniture). Lines are kept as a hash of their folded text.
CREATE TABLE site_lines (
    site TEXT NOT NULL,          -- host without www./m./amp.
    line TEXT NOT NULL,          -- hash of the folded line
    articles INTEGER NOT NULL,   -- how many of the site's articles held it
    PRIMARY KEY (site, line)
) WITHOUT ROWID;
