"""The search document: one row per published article, its text normalised (NFKC, lower case).

The full-text indexes themselves are database-specific and made by raw SQL in the migrations:
SQLite gets two FTS5 tables (``search_fts`` trigram, ``search_grams`` unigrams/bigrams);
PostgreSQL gets pg_trgm's GIN index on the text and a GIN-indexed ``grams`` array column.
"""

from django.db import models

from newsdesk.articles.models import Article


class SearchDocument(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    outlet_id = models.IntegerField(db_index=True)
    published_at = models.DateTimeField(db_index=True)
    # Publication second and 20 bits of the article id: SQLite's full-text rowid, so the FTS5
    # tables yield matches newest first and a date range is a rowid range (see backends.base.key).
    search_key = models.BigIntegerField(unique=True)
    title = models.TextField(blank=True)  # normalised headline (and the original title)
    body = models.TextField(blank=True)  # normalised lead and body
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "検索文書"

    def __str__(self):
        return f"search document {self.article_id}"


class SearchEntity(models.Model):
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="entities")
    entity_id = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["entity_id", "document"], name="search_entity_idx")]
        constraints = [models.UniqueConstraint(fields=["document", "entity_id"], name="one_row_per_entity")]

    def __str__(self):
        return f"{self.document_id}: entity {self.entity_id}"


class EntityToken(models.Model):
    """Which names of a gazetteer entity the index's entity tokens were computed with (SQLite;
    see ``newsdesk.search.tokens``). A search uses the token only while the names are the same."""

    entity_id = models.IntegerField(primary_key=True)
    names_hash = models.CharField(max_length=16, blank=True)
    # Names seen since that the index does not carry yet, and since when (tokens are recomputed
    # once every process has read them).
    pending_hash = models.CharField(max_length=16, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "固有名詞の検索トークン"

    def __str__(self):
        return f"entity {self.entity_id}: {self.names_hash or '-'}"
