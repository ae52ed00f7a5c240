"""URL map. Apps contribute their own ``urls.py``; Wagtail's page serving comes last."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include("media.urls")),  # ranges, signed URLs, safe headers; before Wagtail's own
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("xapi/", include("lms.xapi.urls")),
    path("accounts/", include("lms.accounts.urls")),
    path("learning/", include("lms.enrollment.urls")),
    path("credits/", include("lms.credits.urls")),
    path("certificates/", include("lms.certificates.urls")),
    path("activities/video/", include("plugins.builtin.video.urls")),
    path("activities/document/", include("plugins.builtin.document.urls")),
    path("activities/quiz/", include("plugins.builtin.quiz.urls")),
    path("activities/assignment/", include("plugins.builtin.assignment.urls")),
    path("activities/attendance/", include("plugins.builtin.attendance.urls")),
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
