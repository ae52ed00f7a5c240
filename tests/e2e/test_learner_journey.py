"""The learner's journey on a 360x640 phone, end to end through real HTTP and Debian's chromium:
sign up, enrol in the 陇原巧手 package, watch a video lesson (a real WebM recorded by the browser
itself), fail then pass a quiz, see the progress bar reach 100%, download the certificate and open
the verification link carried by its QR code — and find each step's statements in the LRS."""
import base64
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from lms.xapi import api as xapi
from plugins.builtin.quiz.models import Choice, Question, QuestionBank
from tests import factories
from tests.progress.helpers import enable_plugins, ensure_wagtail_root

from .conftest import PHONE, no_horizontal_scroll, wagtail_root

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.django_db(transaction=True)]
ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO_SECONDS = 4

# MediaRecorder turns an animated canvas into a real VP8 WebM video: no binary fixture, no ffmpeg.
RECORD_VIDEO = """async (seconds) => {
  const canvas = document.createElement('canvas'); canvas.width = 160; canvas.height = 120;
  const ctx = canvas.getContext('2d'); document.body.appendChild(canvas);
  const recorder = new MediaRecorder(canvas.captureStream(15), {mimeType: 'video/webm;codecs=vp8'});
  const chunks = []; recorder.ondataavailable = (e) => chunks.push(e.data);
  let frame = 0;
  const timer = setInterval(() => { ctx.fillStyle = `hsl(${frame * 12 % 360},70%,50%)`; ctx.fillRect(0, 0, 160, 120);
    ctx.fillStyle = '#fff'; ctx.fillText('陇绣 ' + frame++, 20, 60); }, 66);
  recorder.start(); await new Promise((r) => setTimeout(r, seconds * 1000)); recorder.stop();
  await new Promise((r) => { recorder.onstop = r; }); clearInterval(timer);
  const bytes = new Uint8Array(await new Blob(chunks, {type: 'video/webm'}).arrayBuffer());
  let binary = ''; bytes.forEach((b) => { binary += String.fromCharCode(b); }); return btoa(binary);
}"""


def build_package(video_bytes: bytes):
    ensure_wagtail_root()  # content types, permissions, locale, root collection after another test's flush
    wagtail_root()
    factories.site_root()
    enable_plugins()
    city = factories.region(name="临夏回族自治州", code="622900")
    factories.region(name="临夏县", code="622921", level="county", parent=city)
    section = factories.section(factories.institution(name="临夏现代职业学院", reg=city))
    bank = QuestionBank.objects.create(title="刺绣入门")
    stitch = Question(bank=bank, kind=Question.Kind.SINGLE, text="平针绣的针脚应当？", feedback="针脚要均匀。")
    stitch.choices = [Choice(text="长短不一"), Choice(text="均匀整齐", correct=True)]
    stitch.save()
    Question.objects.create(bank=bank, kind=Question.Kind.TRUE_FALSE, text="绣线使用前应先理顺。", answer_true=True)
    video = get_document_model()(title="陇绣入门")
    video.file.save("longxiu-intro.webm", ContentFile(video_bytes), save=True)

    def block(kind, activity_id, title, **config):
        return ("activity", {"activity_type": kind, "title": title, "activity_id": activity_id,
                             "config": json.dumps(config)})

    course = factories.course(section, title="陇绣针法入门", code="LX-EMB-101", completion_require_attendance=False)
    unit = factories.unit(course, title="第一单元 认识陇绣")
    watch = factories.lesson(unit, title="看视频：陇绣入门",
                             body=[block("video", "intro", "陇绣入门", document=video.pk, duration=VIDEO_SECONDS)])
    check = factories.lesson(unit, title="小测验",
                             body=[block("quiz", "check", "入门测验", bank=bank.pk, draw=2, attempts=3, pass_mark=100)])
    course.save_revision().publish()
    package = factories.package(section, items=[course], title="陇原巧手·陇绣培训包", code="LYQS-LX")
    return package, watch, check


def answer(phone, *, right: bool):
    stitch = phone.locator("fieldset", has_text="平针绣")
    stitch.get_by_label("均匀整齐" if right else "长短不一").check()
    phone.locator("fieldset", has_text="绣线使用前").locator(f"input[value={'true' if right else 'false'}]").check()
    phone.locator("form.quiz button[type=submit]").click()


def test_sign_up_enrol_watch_quiz_complete_and_verify(live_server, phone):
    phone.goto("about:blank")
    package, watch, check = build_package(base64.b64decode(phone.evaluate(RECORD_VIDEO, VIDEO_SECONDS)))
    site = live_server.url

    phone.goto(site + "/accounts/signup/")
    phone.fill("#id_identifier", "13912345678")
    phone.fill("#id_real_name", "马兰花")
    phone.select_option("#id_region", label="临夏回族自治州 · 临夏县")
    phone.select_option("#id_learner_type", value="farmer")
    phone.fill("#id_password1", "Xiu-hua-2026!")
    phone.fill("#id_password2", "Xiu-hua-2026!")
    phone.locator("form.form button[type=submit]").click()
    phone.wait_for_url("**/accounts/profile/")
    user = get_user_model().objects.get(profile__mobile="13912345678")

    phone.goto(site + package.url)
    phone.locator(".enrol form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator(".enrol .badge-ok").count() == 1

    phone.goto(site + watch.url)
    assert no_horizontal_scroll(phone) <= PHONE["width"]
    phone.locator("video.tracked-video").evaluate("v => { v.muted = true; return v.play(); }")
    phone.wait_for_selector("video.tracked-video[data-completed='1']", state="attached",
                            timeout=(VIDEO_SECONDS + 20) * 1000)

    phone.goto(site + check.url)
    phone.locator(".quiz-card button[type=submit]").click()
    answer(phone, right=False)
    assert phone.locator(".quiz-result[data-passed='false']").is_visible()
    phone.goto(site + check.url)
    phone.locator(".quiz-card button[type=submit]").click()
    answer(phone, right=True)
    assert phone.locator(".quiz-result[data-passed='true']").is_visible()

    phone.goto(site + "/learning/")
    for title in ("陇原巧手·陇绣培训包", "陇绣针法入门"):  # the package, and its course
        item = phone.locator(".learning-item", has=phone.locator("h2", has_text=title))
        assert item.locator("progress").get_attribute("value") == "100"
    assert no_horizontal_scroll(phone) <= PHONE["width"]

    phone.goto(site + "/certificates/")
    card = phone.locator(".certificates .card", has_text="陇原巧手")
    with phone.expect_download() as download:
        card.locator("a.button").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf
    verify_url = re.search(rb"/URI \((http[^)]+)\)", pdf).group(1).decode()  # the link on the QR code
    assert verify_url.startswith(site + "/certificates/verify/GS-")
    phone.goto(verify_url)
    assert phone.locator("[data-status='valid']").is_visible()
    text = phone.locator("main").inner_text()
    assert "马兰花" in text and "陇原巧手·陇绣培训包" in text and "临夏现代职业学院" in text
    assert "13912345678" not in text

    verbs = {(s["verb"]["id"].removeprefix(ADL), s["object"]["id"].rsplit("/", 1)[-1])
             for s in xapi.iter_statements() if s["actor"].get("account", {}).get("name") == str(user.pk)}
    for step in [("launched", "intro"), ("progressed", "intro"), ("completed", "intro"), ("attempted", "check"),
                 ("failed", "check"), ("passed", "check")]:
        assert step in verbs, (step, sorted(verbs))
    assert any(verb == "answered" for verb, _ in verbs)
    assert any(verb == "registered" for verb, _ in verbs)
    assert {("experienced", str(watch.pk)), ("experienced", str(check.pk))} <= verbs  # the lessons opened
