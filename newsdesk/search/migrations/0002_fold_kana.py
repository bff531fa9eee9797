"""Search text is now folded (hiragana to katakana) as well as NFKC and lower case: らざろ = ラザロ.

The stored text was NFKC and lower case, so folding it gives exactly what indexing the article
again would (kana have no case and NFKC is idempotent); this refolds the stored rows in place and
rebuilds the full-text rows from them, without reading the articles. ``newsdesk reindex`` does
the same from the articles.
"""

from django.db import migrations

BATCH = 1000


def refold(apps, schema_editor):
    from newsdesk.japanese.normalize import search_form
    from newsdesk.search.text import grams

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id, search_key, title, body FROM search_searchdocument ORDER BY article_id"
        )
        rows = cursor.fetchall()
    if not rows:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = [
                (article_id, key, search_form(title), search_form(body))
                for article_id, key, title, body in rows[start : start + BATCH]
            ]
            cursor.executemany(
                "UPDATE search_searchdocument SET title = %s, body = %s WHERE article_id = %s",
                [(title, body, article_id) for article_id, _, title, body in chunk],
            )
            if connection.vendor == "sqlite":
                for table in ("search_fts", "search_grams"):
                    cursor.executemany(
                        f"DELETE FROM {table} WHERE rowid = %s", [(key,) for _, key, _, _ in chunk]
                    )
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                    [(key, title, body) for _, key, title, body in chunk],
                )
                cursor.executemany(
                    "INSERT INTO search_grams (rowid, title, body) VALUES (%s, %s, %s)",
                    [
                        (key, " ".join(sorted(grams(title))), " ".join(sorted(grams(body))))
                        for _, key, title, body in chunk
                    ],
                )
            elif connection.vendor == "postgresql":
                cursor.executemany(
                    "UPDATE search_searchdocument SET grams = %s WHERE article_id = %s",
                    [
                        (sorted(grams(title) | grams(body)), article_id)
                        for article_id, _, title, body in chunk
                    ],
                )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=True)]
