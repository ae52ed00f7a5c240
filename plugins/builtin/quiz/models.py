"""Question banks and learners' attempts.

Invariants:
- A question belongs to one bank; choices belong to one question. Correct answers never leave the server
  before an attempt is submitted.
- An attempt belongs to one learner and one quiz (activity IRI); ``question_ids`` is the draw, fixed at
  start, and only those questions are graded. ``number`` counts the learner's attempts on that quiz
  (unique), so the attempt limit holds under concurrent starts. A submitted attempt never changes.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class QuestionBank(models.Model):
    title = models.CharField(_("title"), max_length=200)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("institution"), FieldPanel("description")]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.title


class Question(ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        FILL_IN = "fill_in", _("Fill in the blank")

    bank = models.ForeignKey(QuestionBank, verbose_name=_("question bank"), on_delete=models.CASCADE,
                             related_name="questions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    answer_true = models.BooleanField(_("the statement is true"), default=True,
                                      help_text=_("For true-or-false questions only."))
    accepted_answers = models.TextField(
        _("accepted answers"), blank=True,
        help_text=_("For fill-in questions: one accepted answer per line (case and spaces are ignored)."),
    )
    feedback = models.TextField(_("feedback shown after submitting"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)

    panels = [
        FieldPanel("bank"), FieldPanel("kind"), FieldPanel("text"), InlinePanel("choices", label=_("Choices")),
        FieldPanel("answer_true"), FieldPanel("accepted_answers"), FieldPanel("feedback"), FieldPanel("points"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:60]


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=300)
    correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("correct")]


class QuizAttempt(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity_iri = models.CharField(max_length=512)
    lesson_id = models.PositiveIntegerField()
    activity_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField()
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["learner", "activity_iri", "number"], name="quiz_attempt_number_once"),
        ]
