import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    # Substrings of three characters or more: FTS5's trigram tokenizer.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize='trigram')",
    # Queries of one or two characters (米, 北朝): each document's distinct unigrams and bigrams as
    # space-separated tokens, so a short query is one token lookup.
    "CREATE VIRTUAL TABLE search_grams USING fts5(title, body, "
    "tokenize='unicode61 remove_diacritics 0', detail='column')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_grams", "DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_document_trgm ON search_searchdocument "
    "USING gin ((title || E'\\n' || body) gin_trgm_ops)",
    "ALTER TABLE search_searchdocument ADD COLUMN grams text[] NOT NULL DEFAULT '{}'",
    "CREATE INDEX search_document_grams ON search_searchdocument USING gin (grams)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_grams",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS grams",
    "DROP INDEX IF EXISTS search_document_trgm",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("outlet_id", models.IntegerField(db_index=True)),
                ("published_at", models.DateTimeField(db_index=True)),
                ("search_key", models.BigIntegerField(unique=True)),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "検索文書", "verbose_name_plural": "検索文書"},
        ),
        migrations.CreateModel(
            name="SearchEntity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entity_id", models.IntegerField()),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entities",
                        to="search.searchdocument",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["entity_id", "document"], name="search_entity_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("document", "entity_id"), name="one_row_per_entity")
                ],
            },
        ),
        # Only on the database it belongs to; a no-op elsewhere.
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
