"""The SQL both archive backends take: statements written once, translated for PostgreSQL."""

from monitor.store.db import is_database_url, translate


def test_placeholders_and_null_safe_comparisons_are_translated_outside_literals():
    assert translate("SELECT id FROM a WHERE x = ? AND y IS ? AND z IS NOT ?") == (
        "SELECT id FROM a WHERE x = %s AND y IS NOT DISTINCT FROM %s AND z IS DISTINCT FROM %s"
    )
    assert translate("SELECT * FROM a WHERE d >= :start AND d < :end") == "SELECT * FROM a WHERE d >= %(start)s AND d < %(end)s"
    assert translate("SELECT 1 FROM m WHERE m.value IS c.value AND m.name IS NULL AND m.x IS NOT NULL") == (
        "SELECT 1 FROM m WHERE m.value IS NOT DISTINCT FROM c.value AND m.name IS NULL AND m.x IS NOT NULL"
    )
    # Literals, casts and comments stay as written; a percent sign is doubled when parameters follow.
    assert translate("SELECT 'a ? :b IS ?', x::text FROM t -- why? :c\nWHERE y LIKE '%k%' AND z = ?") == (
        "SELECT 'a ? :b IS ?', x::text FROM t -- why? :c\nWHERE y LIKE '%%k%%' AND z = %s"
    )
    assert translate("SELECT lang FROM articles WHERE languages LIKE '%ko%'", False) == "SELECT lang FROM articles WHERE languages LIKE '%ko%'"
    assert translate("SELECT analysis, this IS true FROM t") == "SELECT analysis, this IS true FROM t"


def test_a_database_url_is_told_from_a_file():
    assert is_database_url("postgresql://u@h/db") and is_database_url("postgres://h/db")
    assert not is_database_url("db/monitor.sqlite3") and not is_database_url("postgresql.sqlite3")
