"""System checks of the LRS's settings: a value the projection worker cannot work with stops ``migrate``,
``runserver`` and the worker with a message naming it (an environment typo would otherwise leave posted
statements unprojected, or the worker failing on every drain).

xapi.E001 ``XAPI_PROJECTION_CHUNK`` below 1; E002 ``XAPI_PROJECTION_DUTY`` outside (0, 1];
E003 ``XAPI_PROJECTION_MAX_LAG`` negative.
"""
from django.conf import settings
from django.core.checks import Error, register


@register("xapi")
def check_projection_settings(app_configs=None, **kwargs):
    errors = []
    if settings.XAPI_PROJECTION_CHUNK < 1:
        errors.append(Error(
            f"XAPI_PROJECTION_CHUNK is {settings.XAPI_PROJECTION_CHUNK}: the worker would project nothing.",
            hint="Set it to the statements one projection transaction may hold, 1 or more (default 1000).",
            id="xapi.E001"))
    if not 0 < settings.XAPI_PROJECTION_DUTY <= 1:
        errors.append(Error(
            f"XAPI_PROJECTION_DUTY is {settings.XAPI_PROJECTION_DUTY}: it is a fraction of the time.",
            hint="Set it above 0 and at most 1 (default 0.25; 1 never yields to the LRS).", id="xapi.E002"))
    if settings.XAPI_PROJECTION_MAX_LAG < 0:
        errors.append(Error(
            f"XAPI_PROJECTION_MAX_LAG is {settings.XAPI_PROJECTION_MAX_LAG}: a lag is never negative.",
            hint="Set the seconds behind after which the worker stops yielding, 0 or more (default 60).",
            id="xapi.E003"))
    return errors
