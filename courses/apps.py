from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses and resources")

    def ready(self):
        from django.db.models.signals import post_save

        from . import authoring

        # A new institution gets its section, teacher group and collection straight away.
        post_save.connect(
            authoring.provision_on_institution_saved, sender="institutions.Institution",
            dispatch_uid="courses.authoring.provision_institution",
        )

        from . import sync_search

        # Published pages flow into search (search sits below courses and never imports it).
        sync_search.connect()

        from . import sync_outline

        # Published courses and packages push their outline and completion rules to lms.completion.
        sync_outline.connect()

        from . import sync_enrollment

        # Published courses and packages become enrolment offerings in lms.enrollment.
        sync_enrollment.connect()

        from . import sync_reports

        # Published content counts towards the policy targets on the officials' dashboards.
        sync_reports.connect()
