"""Builders for import files and the taxonomy they refer to, shared by the import tests."""
from __future__ import annotations

import csv
from pathlib import Path

from courses.models import SkillCertificate, Specialty
from tests import factories

COURSE_HEADERS = ["code", "title", "institution_code", "level", "credits", "class_hours", "specialty_code",
                  "industries", "programs", "certificates", "summary", "is_quality_course", "quality_year",
                  "last_major_revision", "last_minor_revision"]


def taxonomy():
    """An institution with its section, plus the industries, programs, specialty and certificate rows name."""
    inst = factories.institution(code="GSAHVC", name="甘肃畜牧工程职业技术学院")
    section = factories.section(inst)
    factories.industry("cattle", "牛")
    factories.industry("sheep", "羊")
    factories.program("new-farmer", "高素质农民")
    Specialty.objects.get_or_create(code="410303", defaults={"name": "畜牧兽医"})
    SkillCertificate.objects.get_or_create(code="animal-epidemic-junior", defaults={
        "field_name": "动物疫病防治", "level": "junior"})
    return inst, section


def course_rows(n: int = 3, *, title_suffix: str = "") -> list[list]:
    return [
        [f"XM{i:03d}", f"肉牛养殖技术{i}{title_suffix}", "GSAHVC", "高职", "2.5", 40, "410303", "cattle、羊",
         "高素质农民", "animal-epidemic-junior", f"第{i}门课程：肉牛饲养管理。", "是", 2024, "2024-09-01",
         "2025/9/1"]
        for i in range(1, n + 1)
    ]


def write_csv(path: Path, headers: list[str], rows: list[list], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path
