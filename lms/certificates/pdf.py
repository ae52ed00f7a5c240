"""The certificate as a PDF: A4 landscape, Chinese text in reportlab's built-in ``STSong-Light`` CID font
(every PDF reader ships it, so nothing is embedded), and a QR code (segno) for the verification page."""
from __future__ import annotations

import io

import segno
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .models import Certificate

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def render(cert: Certificate, *, verify_url: str) -> bytes:
    font = _font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(f"{cert.number} {cert.title}")
    page.setAuthor(cert.institution_name or "技能甘肃")
    page.setLineWidth(3)
    page.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    page.setFont(font, 34)
    page.drawCentredString(width / 2, height - 45 * mm, "结业证书")
    page.setFont(font, 14)
    page.drawCentredString(width / 2, height - 55 * mm, "Certificate of Completion · 技能甘肃 Skills Gansu")

    page.setFont(font, 22)
    page.drawCentredString(width / 2, height - 80 * mm, cert.learner_name)
    page.setFont(font, 15)
    kind = "培训包" if cert.kind == "package" else "课程"
    page.drawCentredString(width / 2, height - 95 * mm, f"已完成{kind}《{cert.title}》的全部学习要求，特发此证。")
    issued = timezone.localtime(cert.issued_at)
    page.drawCentredString(width / 2, height - 108 * mm, f"发证机构：{cert.institution_name}")
    page.drawCentredString(width / 2, height - 118 * mm, f"发证日期：{issued:%Y年%m月%d日}")
    if cert.skill_certificate_codes:
        codes = "、".join(cert.skill_certificate_codes)
        page.drawCentredString(width / 2, height - 128 * mm, f"对应职业技能等级证书：{codes}")

    page.setFont(font, 12)
    page.drawString(22 * mm, 22 * mm, f"证书编号 No. {cert.number}")
    page.drawString(22 * mm, 16 * mm, f"扫码或访问 {verify_url} 核验")
    size = 40 * mm
    left, bottom = width - 22 * mm - size, 18 * mm
    page.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), left, bottom, size, size)
    # The QR code is also a link, so the verification page opens with a tap on a phone.
    page.linkURL(verify_url, (left, bottom, left + size, bottom + size), relative=0)
    page.showPage()
    page.save()
    return buffer.getvalue()
