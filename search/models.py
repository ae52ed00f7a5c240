"""The search-document store: one row per searchable published page, with its facet values.

Invariants:
- a row exists only for a page that is live and visible to its ``audience``; unpublishing, deleting
  or restricting a page removes its row (``courses/sync_search.py`` pushes every change);
- ``title_terms``/``pinyin_terms``/``body_terms`` are space-separated ``\\w+`` terms produced by
  ``search.text``; only that module writes them, so index and query agree on segmentation;
- the full-text structures are built by the database from these columns, never by Python:
  on PostgreSQL a generated ``tsvector`` column ``search_vector`` with a GIN index; on SQLite an FTS5
  table ``lms_search_fts`` kept in step by triggers (see migration 0002). Bulk inserts stay indexed.
  SQLite rebuilds a table to alter it, dropping its triggers: a migration that alters this table must
  create them again (as 0003 and 0004 do);
- ``facet_ids`` lists the :class:`IndexedFacetValue` ids of the document's facet values (the database
  backend filters and counts on them in one pass over the matches); on PostgreSQL the database copies
  them into a generated ``facet_array integer[]`` with a GIN index (migration 0004);
- ``IndexedFacetValue.public_count``/``login_count`` count the stored documents of each audience that
  carry the value; ``search.api`` adjusts them in the transaction that writes documents (rows locked
  in id order) and ``api.rebuild()`` recounts them. Unfiltered browsing reads its counts there.

This table is also the source the Elasticsearch backend re-indexes from.
"""
from django.db import models


class IndexedDocument(models.Model):
    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, db_index=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    audience = models.CharField(max_length=8, default="public")
    published_at = models.DateTimeField(db_index=True)
    title_terms = models.TextField(blank=True)
    pinyin_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # ids of IndexedFacetValue rows: the database backend's filters and counts read them on the row
    facet_ids = models.JSONField(default=list, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["audience", "-published_at"], name="lms_search_aud_pub")]

    def __str__(self):
        return self.key


class IndexedFacetValue(models.Model):
    """One value of one facet (``industry``/``cattle``) with its current label and how many documents of
    each audience carry it. Rows are never deleted (a value no document carries counts 0 and is not shown)."""

    name = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    label = models.CharField(max_length=128)
    public_count = models.PositiveIntegerField(default=0)
    login_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "value"], name="lms_search_value_unique")]

    def __str__(self):
        return f"{self.name}={self.value}"


class IndexedFacet(models.Model):
    """One facet value of a document (a course may have several industries, programs, certificates)."""

    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="facet_values")
    name = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    label = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "name", "value"], name="lms_search_facet_unique"),
        ]
        indexes = [models.Index(fields=["name", "value", "document"], name="lms_search_facet_lookup")]
