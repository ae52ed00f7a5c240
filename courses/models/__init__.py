"""Page and snippet models. Split by subject so no module grows past a few hundred lines."""
from .catalogue import CatalogueIndexPage, HomePage, InstitutionSectionPage
from .course import CoursePage, CourseTeacher, LessonPage, UnitPage
from .library import ResourceLibraryPage, ResourcePage
from .package import PackageItem, TrainingPackagePage
from .taxonomy import Industry, Level, SkillCertificate, Specialty, TrainingProgram

__all__ = [
    "CatalogueIndexPage", "CoursePage", "CourseTeacher", "HomePage", "Industry",
    "InstitutionSectionPage", "LessonPage", "Level", "PackageItem", "ResourceLibraryPage",
    "ResourcePage", "SkillCertificate", "Specialty", "TrainingPackagePage", "TrainingProgram", "UnitPage",
]
