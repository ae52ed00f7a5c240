"""Contract 6: ``certificate_issued`` / ``certificate_revoked``, kwarg ``certificate`` (a ``data.CertificateRecord``),
both sent after commit, once per change."""
from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
