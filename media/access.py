"""Who may download a file.

``media`` sits below the LMS in the layers, so it cannot import ``lms.enrollment``. The one question it
needs answered, "is this user enrolled in that offering?", is asked through a callable named in
``settings.SKILLS_GANSU_ENROLMENT_STATE`` (default ``lms.enrollment.api.enrolment_state``), resolved at
call time: dependency inversion through settings, like Django's authentication backends. It must take
``(user, iri)`` and return an object with a boolean ``enrolled``. If it cannot be imported, private
files are refused (fail closed).
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_ENROLMENT_STATE = "lms.enrollment.api.enrolment_state"


def is_enrolled(user, offering_iri: str) -> bool:
    """Whether ``user`` holds an enrolment in the course or package ``offering_iri``."""
    if not getattr(user, "is_authenticated", False):
        return False
    path = getattr(settings, "SKILLS_GANSU_ENROLMENT_STATE", DEFAULT_ENROLMENT_STATE)
    try:
        enrolment_state = import_string(path)
    except ImportError:
        return False
    return bool(getattr(enrolment_state(user, offering_iri), "enrolled", False))


def may_download(user, document) -> bool:
    """Public documents: yes (Wagtail's collection restrictions still apply first). Private ones
    (``offering_iri`` set): enrolled learners, and staff who can change documents."""
    if not document.offering_iri:
        return True
    if getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.has_perm("media.change_coursedocument")
    ):
        return True
    return is_enrolled(user, document.offering_iri)
