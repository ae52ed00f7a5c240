"""Signal receivers: the learner journey's completions and certificates become ledger entries.

The completion and certificate apps are developed alongside this one, so ``connect`` imports their
signal modules only if they exist; ``api`` works either way. Receivers run after the LRS transaction
committed (the signals are sent on commit), synchronously, so credit is in the ledger well within a
second of the statement that completed the course.
"""
import importlib
import logging

logger = logging.getLogger(__name__)

# (module, signal name, api function name)
WIRING = [
    ("lms.completion.signals", "completion_recorded", "credit_completion", "completion"),
    ("lms.completion.signals", "completion_revoked", "reverse_completion", "completion"),
    ("lms.certificates.signals", "certificate_issued", "credit_certificate", "certificate"),
    ("lms.certificates.signals", "certificate_revoked", "reverse_certificate", "certificate"),
]


def _receiver(function_name: str, kwarg: str):
    def receive(sender, **kwargs):
        from . import api

        getattr(api, function_name)(kwargs[kwarg])

    receive.__name__ = f"credits_{function_name}"
    return receive


_RECEIVERS = {name: _receiver(name, kwarg) for _module, _signal, name, kwarg in WIRING}


def connect() -> list[str]:
    """Connect every receiver whose signal exists; returns the names connected."""
    connected = []
    for module_name, signal_name, function_name, _kwarg in WIRING:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue  # that app is not installed (yet)
            raise
        signal = getattr(module, signal_name, None)
        if signal is None:
            logger.warning("%s has no signal %s; credits will not follow it", module_name, signal_name)
            continue
        signal.connect(_RECEIVERS[function_name], dispatch_uid=f"credits.{function_name}")
        connected.append(f"{module_name}.{signal_name}")
    return connected
