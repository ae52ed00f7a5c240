from django import template

from .. import api

register = template.Library()


@register.simple_tag(takes_context=True)
def enrolment_state(context, offering_iri: str):
    """The enrol button's facts for the current user (two queries)."""
    request = context.get("request")
    return api.enrolment_state(getattr(request, "user", None), offering_iri)
