"""Forms for learners and credit officers. Files are checked by size and by their first bytes."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.institutions.api import Institution

from .models import RecognitionRequest

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Magic numbers of the evidence we accept: scans and photos of certificates, and PDFs.
EVIDENCE_TYPES = {".pdf": [b"%PDF-"], ".png": [b"\x89PNG\r\n\x1a\n"], ".jpg": [b"\xff\xd8\xff"],
                  ".jpeg": [b"\xff\xd8\xff"]}


class RecognitionRequestForm(forms.ModelForm):
    institution = forms.ModelChoiceField(Institution.objects.order_by("code"), label=_("Institution"))
    requested_credits = forms.DecimalField(
        label=_("Credits requested"), min_value=Decimal("0.5"), max_value=Decimal("60"), decimal_places=1,
        error_messages={"min_value": _("Ask for at least 0.5 credit."),
                        "max_value": _("At most 60 credits can be recognised in one request.")},
    )

    class Meta:
        model = RecognitionRequest
        fields = ["institution", "kind", "title", "description", "certificate_number", "requested_credits", "evidence"]

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The evidence file is larger than 10 MB; upload a smaller scan."))
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in EVIDENCE_TYPES.get(suffix, [])):
            raise forms.ValidationError(_("Upload the evidence as a PDF, PNG or JPEG file."))
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], label=_("Decision"))
    granted_credits = forms.DecimalField(
        label=_("Credits granted"), required=False, min_value=Decimal("0"), max_value=Decimal("60"), decimal_places=1,
        help_text=_("Empty: the credits requested."),
        error_messages={"min_value": _("Credit cannot be negative.")},
    )
    reason = forms.CharField(label=_("Reason (the learner reads it)"), widget=forms.Textarea, max_length=2000)
