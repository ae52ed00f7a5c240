"""Learning-outcome accounts and the append-only credit ledger.

Invariants:
- One ``CreditAccount`` per learner, opened on first credit (or when the learner first looks).
- ``LedgerEntry`` rows are never changed or removed: the database itself refuses UPDATE and DELETE
  (triggers created in migration 0002, on PostgreSQL and on SQLite). A revocation is a new ``reversed``
  entry pointing at the entry it cancels, with the opposite amount.
- ``idempotency_key`` is unique, so the same completion, certificate or decision arriving many times
  (threads, retries, rebuilds) writes its entry exactly once.
- Balances are derived (sums over entries), never stored. ``converted`` entries re-express credit
  already earned at another institution (mutual recognition): they count towards that institution's
  recognised credit but not a second time towards the learner's total (``is_transfer``).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    CONVERTED = "converted", _("Converted")
    EXEMPTED = "exempted", _("Exempted")
    REVERSED = "reversed", _("Reversed")


class Source(models.TextChoices):
    COURSE = "course", _("Course")
    PACKAGE = "package", _("Training package")
    CERTIFICATE = "certificate", _("1+X certificate")
    RECOGNITION = "recognition", _("Recognised prior learning")


class CreditAccount(models.Model):
    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="credit_account"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning-outcome account")
        verbose_name_plural = _("learning-outcome accounts")

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """The account number printed on transcripts: stable, derived from the row id."""
        return f"GS{self.pk:010d}"


class LedgerEntry(models.Model):
    account = models.ForeignKey(
        CreditAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    credits = models.DecimalField(_("credits"), max_digits=6, decimal_places=2)
    is_transfer = models.BooleanField(
        _("transfer"), default=False,
        help_text=_("Credit already counted elsewhere, re-expressed at another institution."),
    )
    offering_iri = models.CharField(_("activity IRI"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=255)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    class_hours = models.PositiveIntegerField(_("class hours"), default=0)
    evidence = models.JSONField(
        _("evidence"), default=dict,
        help_text=_("Completion id, xAPI statement ids, certificate number, request id, rule applied."),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reversal",
    )
    occurred_at = models.DateTimeField(_("occurred at"), help_text=_("When the learning was completed."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "occurred_at"], name="credits_entry_account_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="reversed") | models.Q(credits__gte=0),
                name="credits_entry_nonnegative_unless_reversal",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="reversed") | models.Q(reverses__isnull=False),
                name="credits_reversal_names_its_entry",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.credits} · {self.title}"
