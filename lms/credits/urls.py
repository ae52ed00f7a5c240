from django.urls import path

from . import views

app_name = "credits"

urlpatterns = [
    path("", views.my_account, name="account"),
    path("learners/<int:learner_id>/", views.learner_account, name="learner"),
    path("learners/<int:learner_id>/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("learners/<int:learner_id>/transcript.json", views.transcript_json, name="transcript_json"),
    path("learners/<int:learner_id>/transcript.csv", views.transcript_csv, name="transcript_csv"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/<int:request_id>/evidence", views.request_evidence, name="request_evidence"),
    path("officer/requests/", views.officer_requests, name="officer_requests"),
    path("officer/requests/<int:request_id>/", views.officer_decide, name="officer_decide"),
    path("officer/ledger.csv", views.officer_ledger_csv, name="officer_ledger_csv"),
    path("hub/entries", views.hub_entries, name="hub_entries"),
    path("issuer", views.issuer, name="issuer"),
]
