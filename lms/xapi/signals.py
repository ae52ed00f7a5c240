"""Signals other apps listen to."""
from django.dispatch import Signal

# Sent after the recording transaction commits. kwarg ``statements``: list of the stored statement dicts (with
# id, stored, timestamp, authority), voiding statements included, in stored order. Projections (progress,
# completion, reports) re-evaluate on it. Where it is sent depends on who recorded (``record(projections=)``):
# - "inline" (the platform's own pages, sync, commands): in the recording process, before record() returns, so
#   the learner who just clicked sees progress at once;
# - "queued" (statements POSTed/PUT to /xapi/, alternate syntax included): in a Celery worker after the commit
#   (lms.xapi.projections: the batch is remembered in an outbox in its own transaction; the worker sends the
#   signal once for many batches, up to XAPI_PROJECTION_CHUNK statements, in commit order), so the LRS answers
#   without waiting for projections. Queued is inline when Celery has no broker (eager: embedded default,
#   tests) and when XAPI_QUEUE_PROJECTIONS is off; when enqueuing fails, the request projects its own batch.
# Receivers must be idempotent and must not commit on their own: a queued send runs inside the worker's
# transaction, and a failure rolls it back and the batch is projected again (alone, then set aside after
# three failures, see manage.py xapi_project_pending). The worker leaves out statements voided by the time it
# runs (as a rebuild does). Inline sends that a crash interrupts are lost: rebuild from iter_statements().
statements_recorded = Signal()

# Sent inside the recording transaction, once per batch, after the rows are inserted and before commit; same
# ``statements`` as above. Must be cheap, runs in the writer's transaction: receivers only write rows to the
# same database (an outbox), with one insert per batch; no network, no slow queries, schedule work with
# ``transaction.on_commit``. Whatever they write commits or rolls back with the statements. A receiver that
# raises aborts the batch: nothing is stored and record() raises StatementRejected with status 503.
statements_storing = Signal()
