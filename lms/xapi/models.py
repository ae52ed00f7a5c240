"""Storage of the Learning Record Store.

Invariants:
- A ``Statement`` row is immutable once written, except for ``voided``, which flips to True exactly once,
  when a voiding statement targeting it is recorded. ``payload`` is the statement as the LRS returns it
  (with ``id``, ``stored``, ``timestamp``, ``authority`` and ``version`` filled in), serialised once at
  write time so reads never re-serialise.
- ``statement_id`` is unique: the database, not the application, is what makes concurrent duplicates safe.
- Filter columns (``actor_key``, ``verb_iri``, ...) are derived from ``payload`` by ``lms.xapi.storage`` and
  never written anywhere else. Agents are keyed by their inverse functional identifier (``agent_key``).
- ``StatementRelation`` holds only the *indirect* links the ``related_agents`` / ``related_activities``
  filters need (context, authority members, sub-statement parts); direct ones are columns.
- Keyset order is ``(stored, seq)``; ``seq`` breaks ties between statements stored in the same microsecond.
  With monthly partitioning, the primary key becomes ``(seq, stored)``; nothing else changes.
"""
import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.institutions.models import Institution

IRI_MAX = 2048


class Statement(models.Model):
    seq = models.BigAutoField(primary_key=True)
    statement_id = models.UUIDField(unique=True)
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    verb_iri = models.CharField(max_length=IRI_MAX)
    actor_key = models.CharField(max_length=IRI_MAX, blank=True)
    object_agent_key = models.CharField(max_length=IRI_MAX, blank=True)
    object_activity_iri = models.CharField(max_length=IRI_MAX, blank=True)
    object_statement_id = models.UUIDField(null=True, blank=True)
    authority_key = models.CharField(max_length=IRI_MAX, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    is_voiding = models.BooleanField(default=False)
    has_attachments = models.BooleanField(default=False)
    payload = models.TextField()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["stored", "seq"], name="xapi_st_stored"),
            models.Index(fields=["actor_key", "verb_iri", "stored", "seq"], name="xapi_st_actor_verb"),
            # Partial where most rows are empty: fewer index writes per statement, same lookups.
            models.Index(fields=["object_agent_key", "stored", "seq"], name="xapi_st_obj_agent",
                         condition=~models.Q(object_agent_key="")),
            models.Index(fields=["object_activity_iri", "stored", "seq"], name="xapi_st_activity"),
            models.Index(fields=["verb_iri", "stored", "seq"], name="xapi_st_verb"),
            models.Index(fields=["registration", "stored", "seq"], name="xapi_st_registration",
                         condition=models.Q(registration__isnull=False)),
            # Referencing statements are few; the StatementRef part of a filtered query walks only these.
            models.Index(fields=["stored", "seq"], condition=models.Q(object_statement_id__isnull=False),
                         name="xapi_st_refs"),
            models.Index(fields=["authority_key", "stored", "seq"], name="xapi_st_authority"),
        ]

    def __str__(self):
        return str(self.statement_id)


class StatementRelation(models.Model):
    """An agent or activity a statement mentions outside its actor/object (for ``related_*`` filters)."""

    AGENT = "agent"
    ACTIVITY = "activity"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=8, choices=[(AGENT, AGENT), (ACTIVITY, ACTIVITY)])
    key = models.CharField(max_length=IRI_MAX)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "statement"], name="xapi_rel_key")]


class Activity(models.Model):
    """The canonical definition of an activity: the latest definition any statement gave it."""

    iri = models.CharField(max_length=IRI_MAX, unique=True)
    definition = models.JSONField(default=dict)
    # Digest of the definition a statement last gave (``storage.digest``): the write path skips a given
    # definition with this digest, as merging it again would change nothing.
    given_digest = models.CharField(max_length=32, blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.iri


class PendingProjection(models.Model):
    """A committed batch whose projections (``statements_recorded``) have not run yet: the queued projections'
    outbox (``lms.xapi.projections``).

    Written in the transaction that stores the batch, deleted in the transaction that projects it, so a
    batch is projected once it is stored, whatever crashes in between. ``attempts`` counts projections that
    raised; after ``projections.MAX_ATTEMPTS`` the batch waits for an operator (``xapi_project_pending``).
    """

    statement_ids = models.TextField()  # comma-separated, in stored order
    size = models.PositiveIntegerField()
    created = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pending projection")
        verbose_name_plural = _("pending projections")

    def __str__(self):
        return f"{self.size} statements recorded {self.created:%Y-%m-%d %H:%M:%S}"


class Attachment(models.Model):
    """Attachment content, stored once per SHA-256 in the default (media) storage."""

    sha2 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=255)
    length = models.PositiveBigIntegerField()
    file = models.FileField(upload_to="xapi/attachments/", max_length=255)
    created = models.DateTimeField(auto_now_add=True)


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document.

    Absent parts of the key are stored as "" so the unique constraint covers every document.
    ``etag`` is the SHA-1 of ``content``.
    """

    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"
    KINDS = [(STATE, STATE), (ACTIVITY_PROFILE, ACTIVITY_PROFILE), (AGENT_PROFILE, AGENT_PROFILE)]

    kind = models.CharField(max_length=16, choices=KINDS)
    activity_iri = models.CharField(max_length=IRI_MAX, blank=True)
    agent_key = models.CharField(max_length=IRI_MAX, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    document_id = models.CharField(max_length=IRI_MAX)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity_iri", "agent_key", "registration", "document_id"], name="xapi_doc_key"
            )
        ]
        indexes = [models.Index(fields=["kind", "activity_iri", "agent_key", "updated"], name="xapi_doc_list")]


class Scope(models.TextChoices):
    WRITE = "write", _("Write statements and documents")
    READ_OWN = "read_own", _("Read statements it wrote")
    READ_ALL = "read_all", _("Read all statements")


def _hash_secret(salt: str, secret: str) -> str:
    # Secrets are generated high-entropy tokens checked on every request, so a fast salted hash is
    # the right trade-off (a password KDF would cost ~100 ms per xAPI call).
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


class LRSClient(models.Model):
    """Credentials for content, apps and other systems that talk to the LRS over HTTP Basic.

    The secret is never stored, only its salted hash. A client's statements carry its own agent as
    ``authority`` (see ``authority_agent``); ``read_own`` means statements with that authority.
    """

    name = models.CharField(_("name"), max_length=128)
    key = models.CharField(_("key"), max_length=64, unique=True)
    secret_salt = models.CharField(max_length=32, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="lrs_clients",
    )
    scopes = models.JSONField(_("scopes"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.key})"

    def set_secret(self, secret: str) -> None:
        self.secret_salt = secrets.token_hex(16)
        self.secret_hash = _hash_secret(self.secret_salt, secret)

    def check_secret(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, _hash_secret(self.secret_salt, secret))
