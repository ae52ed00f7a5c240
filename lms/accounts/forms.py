"""Forms for the public account pages; they validate, ``api`` writes."""
from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from lms.institutions.api import Institution, Region

from . import api
from .models import LearnerType, Profile


class RegionChoiceField(forms.ModelChoiceField):
    """A city or county, offered as counties grouped under their city."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.filter(level__in=["city", "county"]), **kwargs)

    def _set_groups(self):
        self.choices = [("", "---------"), *api.regions_for_sign_up()]


class SignUpForm(forms.Form):
    identifier = forms.CharField(
        label=_("Mobile number or username"), max_length=64,
        help_text=_("A mainland China mobile number (11 digits), or a username of letters and digits."),
    )
    real_name = forms.CharField(label=_("Real name"), max_length=64)
    region = RegionChoiceField(label=_("City or county where you live"))
    learner_type = forms.ChoiceField(label=_("I am a"), choices=LearnerType.choices)
    institution = forms.ModelChoiceField(
        label=_("School or training institution (optional)"), queryset=Institution.objects.order_by("code"),
        required=False,
    )
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"]._set_groups()

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].strip()
        mobile = api.normalise_mobile(value)
        if mobile:
            if api.mobile_taken(mobile) or api.username_taken(mobile):
                raise forms.ValidationError(_("This mobile number is already registered. Log in instead."))
            return mobile
        if value.isdigit():
            raise forms.ValidationError(_("“%(value)s” is not a valid mobile number; a username needs letters.")
                                        % {"value": value})
        User.username_validator(value)
        if api.username_taken(value):
            raise forms.ValidationError(_("This username is taken. Choose another one."))
        return value

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, user=User(username=cleaned.get("identifier", ""), first_name=cleaned.get("real_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(AuthenticationForm):
    """Log in with a username or the mobile number one signed up with."""

    username = forms.CharField(label=_("Mobile number or username"), max_length=64,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = api.user_for_login(self.cleaned_data["username"])
        return super().clean()


class ProfileForm(forms.ModelForm):
    region = RegionChoiceField(label=_("City or county where you live"))

    class Meta:
        model = Profile
        fields = ["real_name", "region", "learner_type", "institution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"]._set_groups()
        self.fields["institution"].queryset = Institution.objects.order_by("code")


class BulkLearnersForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


class ResetPasswordForm(forms.Form):
    new_password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned
