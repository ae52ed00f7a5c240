"""A lesson with one activity of each built-in type, served by Wagtail, with the plugins enabled."""
from __future__ import annotations

from plugins.builtin.quiz.models import Choice, Question, QuestionBank
from tests import factories

from ..progress.helpers import activity, course_with, enable_plugins


def question_bank(institution=None) -> QuestionBank:
    bank = QuestionBank.objects.create(title="刺绣基础题库", institution=institution)
    single = Question(bank=bank, kind=Question.Kind.SINGLE, text="平针绣的针脚应当？", feedback="针脚要均匀。")
    single.choices = [Choice(text="长短不一"), Choice(text="均匀整齐", correct=True), Choice(text="越密越好")]
    single.save()
    multiple = Question(bank=bank, kind=Question.Kind.MULTIPLE, text="刺绣常用的工具有？")
    multiple.choices = [Choice(text="绣花针", correct=True), Choice(text="绣绷", correct=True), Choice(text="锤子")]
    multiple.save()
    Question.objects.create(bank=bank, kind=Question.Kind.TRUE_FALSE, text="绣线使用前应先理顺。", answer_true=True)
    Question.objects.create(bank=bank, kind=Question.Kind.FILL_IN, text="陇绣主要流行于哪个省？",
                            accepted_answers="甘肃\n甘肃省")
    return bank


def right_answers(questions) -> dict:
    data = {}
    for q in questions:
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            data[f"q{q.pk}"] = [str(c.pk) for c in q.choices.all() if c.correct]
        elif q.kind == Question.Kind.TRUE_FALSE:
            data[f"q{q.pk}"] = "true" if q.answer_true else "false"
        else:
            data[f"q{q.pk}"] = " 甘肃省 "
    return data


def wrong_answers(questions) -> dict:
    data = {}
    for q in questions:
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            data[f"q{q.pk}"] = [str(c.pk) for c in q.choices.all() if not c.correct][:1]
        elif q.kind == Question.Kind.TRUE_FALSE:
            data[f"q{q.pk}"] = "false" if q.answer_true else "true"
        else:
            data[f"q{q.pk}"] = "陕西"
    return data


def lesson_with_activities(*, institution=None, attempts=2, pass_mark=75, video_duration=100, max_mb=1):
    """(course, lesson, bank) — a lesson holding a video, a document, a quiz, an assignment and a session."""
    factories.site_root()
    enable_plugins()
    section = factories.section(institution) if institution else None
    bank = question_bank(institution)
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    doc = get_document_model()(title="刺绣图样")
    doc.file.save("pattern.pdf", ContentFile(b"%PDF-1.4 pattern"), save=True)
    body = [
        activity("video", "intro", "刺绣入门视频", src="https://media.example.cn/intro.mp4", duration=video_duration),
        activity("document", "pattern", "图样", document=doc.pk),
        activity("quiz", "check", "入门测验", bank=bank.pk, draw=4, attempts=attempts, pass_mark=pass_mark),
        activity("assignment", "work", "上交作品", types=["pdf", "jpg", "png"], max_mb=max_mb, pass_mark=60),
        activity("attendance", "visit", "送教下乡实训", session="村委会刺绣实训", place="临夏县"),
    ]
    kwargs = {"parent": section} if section else {}
    course, lessons = course_with(body, **kwargs)
    return course, lessons[0], bank
