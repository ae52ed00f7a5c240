"""Admin glue: question banks and questions are edited as snippets, grouped under "Quizzes"."""
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, QuestionBank


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    list_display = ["title", "institution"]
    search_fields = ["title"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["text", "kind", "bank"]
    list_filter = ["kind", "bank"]
    search_fields = ["text"]


class QuizGroup(SnippetViewSetGroup):
    menu_label = _("Quizzes")
    menu_icon = "tasks"
    items = (QuestionBankViewSet, QuestionViewSet)


register_snippet(QuizGroup)
