"""Transcripts of a learner's ledger: the signed CLR-style JSON credential, a PDF with Chinese text,
and CSV for officials. Every figure comes from the ledger, so each is traceable to its evidence."""
from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import api, credential
from .models import EntryKind, LedgerEntry

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ACHIEVEMENT_TYPE = {"course": "Course", "package": "LearningProgram", "certificate": "Certificate",
                    "recognition": "Assessment"}


def _number(value: Decimal):
    """Credits as a JSON number that JCS and json.dumps write the same way (2 not 2.0)."""
    return int(value) if value == value.to_integral_value() else float(value)


def standing_entries(learner_id: int) -> list[LedgerEntry]:
    """Entries that count today: not reversed, and not reversals themselves."""
    return [e for e in api.entries_for(learner_id).filter(reversal__isnull=True).exclude(kind=EntryKind.REVERSED)]


def credential_for(learner_id: int) -> dict:
    """A signed ClrCredential: one AchievementCredential per standing entry."""
    learner = api.learner(learner_id)
    summary = api.account_summary(learner_id)
    issuer = {"id": credential.issuer_id(), "type": ["Profile"], "name": _("Skills Gansu credit bank")}
    now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    name = getattr(getattr(learner, "profile", None), "real_name", "") or learner.get_username()
    achievements = []
    for entry in standing_entries(learner_id):
        achievements.append({
            "id": f"urn:skills-gansu:ledger:{entry.idempotency_key}",
            "type": ["VerifiableCredential", "AchievementCredential"],
            "issuer": issuer,
            "validFrom": entry.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "creditsEarned": _number(entry.credits),
                "achievement": {
                    "id": entry.offering_iri or f"urn:skills-gansu:recognition:{entry.pk}",
                    "type": ["Achievement"],
                    "achievementType": ACHIEVEMENT_TYPE.get(entry.source, "Achievement"),
                    "name": entry.title,
                    "criteria": {"narrative": entry.get_kind_display()},
                    "creator": {"id": f"urn:skills-gansu:institution:{entry.institution.code}", "type": ["Profile"],
                                "name": entry.institution.name} if entry.institution else issuer,
                },
                "evidence": [{"type": ["Evidence"], "narrative": canonical_evidence(entry)}],
                "countsTowardTotal": not entry.is_transfer,
            },
        })
    return credential.sign({
        "@context": CONTEXTS,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer,
        "validFrom": now,
        "name": _("Credit transcript of %(name)s") % {"name": name},
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "identifier", "hashed": False,
                            "identityHash": summary.account_number}],
            "name": name,
            "totalCredits": _number(summary.total),
            "verifiableCredential": achievements,
        },
    })


def canonical_evidence(entry: LedgerEntry) -> str:
    parts = []
    evidence = entry.evidence or {}
    if evidence.get("completion_id"):
        parts.append(f"completion {evidence['completion_id']}")
    if evidence.get("statement_ids"):
        parts.append("xAPI statements " + ", ".join(evidence["statement_ids"]))
    if evidence.get("certificate_number"):
        parts.append(f"certificate {evidence['certificate_number']}")
    if evidence.get("recognition_request_id"):
        parts.append(f"recognition request {evidence['recognition_request_id']}")
    return "; ".join(parts) or entry.idempotency_key


# --- CSV ----------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "account", "learner_id", "learner", "entry_id", "occurred_at", "recorded_at", "kind", "source", "credits",
    "counts_toward_total", "institution_code", "institution", "activity_iri", "title", "class_hours",
    "statement_ids", "certificate_number", "idempotency_key", "reverses",
]


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula (officials open these in Excel)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(entries):
    yield CSV_COLUMNS
    for e in entries:
        profile = getattr(e.account.learner, "profile", None)
        yield [
            e.account.number, e.account.learner_id, _cell(getattr(profile, "real_name", "") or ""), e.pk,
            timezone.localtime(e.occurred_at).isoformat(), timezone.localtime(e.recorded_at).isoformat(),
            e.kind, e.source, str(e.credits), "no" if e.is_transfer else "yes",
            e.institution.code if e.institution else "", _cell(e.institution.name if e.institution else ""),
            e.offering_iri, _cell(e.title), e.class_hours, " ".join(e.evidence.get("statement_ids", [])),
            _cell(e.evidence.get("certificate_number", "")), e.idempotency_key,
            e.reverses.idempotency_key if e.reverses_id else "",
        ]


def csv_lines(entries):
    """CSV text, a line at a time (for streaming); starts with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in csv_rows(entries):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def ledger_for_csv(queryset):
    return queryset.select_related("account__learner__profile", "institution", "reverses").order_by("id")


# --- PDF ----------------------------------------------------------------------------------------------

def pdf_for(learner_id: int) -> bytes:
    """A printable transcript; STSong-Light is a CID font every PDF reader has, so Chinese renders
    without embedding a font file."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)
    learner = api.learner(learner_id)
    summary = api.account_summary(learner_id)
    name = getattr(getattr(learner, "profile", None), "real_name", "") or learner.get_username()
    story = [
        Paragraph(_("Credit transcript") + " · 技能甘肃学分银行", title),
        Paragraph(_("Learner: %(name)s · Account %(number)s · Printed %(date)s") % {
            "name": name, "number": summary.account_number, "date": timezone.localdate().isoformat()}, body),
        Paragraph(_("Total credits: %(total)s") % {"total": summary.total}, body),
        Spacer(1, 4 * mm),
    ]
    rows = [[Paragraph(h, body) for h in (_("Date"), _("Learning"), _("Institution"), _("Kind"), _("Credits"))]]
    for entry in api.entries_for(learner_id):
        rows.append([
            Paragraph(timezone.localtime(entry.occurred_at).date().isoformat(), body), Paragraph(entry.title, body),
            Paragraph(entry.institution.name if entry.institution else "", body),
            Paragraph(str(entry.get_kind_display()), body), Paragraph(str(entry.credits), body),
        ])
    table = Table(rows, colWidths=[22 * mm, 70 * mm, 45 * mm, 18 * mm, 18 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [table, Spacer(1, 4 * mm), Paragraph(_(
        "A signed machine-readable copy of this transcript can be checked against the issuer key at %(url)s."
    ) % {"url": credential.issuer_id()}, body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=_("Credit transcript"), author=settings.WAGTAIL_SITE_NAME).build(story)
    return out.getvalue()
