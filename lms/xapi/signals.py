"""Signals other apps listen to."""
from django.dispatch import Signal

# Sent after the recording transaction commits. kwarg ``statements``: list of the stored statement dicts (with
# id, stored, timestamp, authority), voiding statements included, in stored order. Projections (progress,
# completion, reports) re-evaluate on it. Where it is sent depends on who recorded (``record(projections=)``):
# - "inline" (the platform's own pages, sync, commands): in the recording process, before record() returns, so
#   the learner who just clicked sees progress at once;
# - "queued" (statements POSTed/PUT to /xapi/, alternate syntax included): in a Celery worker right after the
#   commit (task ``xapi.send_recorded``, the batch's ids; the worker re-reads them in one query), so the LRS
#   answers without waiting for projections. Queued is inline when Celery has no broker (eager: embedded
#   default, tests), when XAPI_QUEUE_PROJECTIONS is off, and when enqueuing fails (logged).
# Receivers must be idempotent: a worker that dies mid-task gets the batch again (late ack). Queued batches may
# be projected out of order, so the worker leaves out statements voided by the time it runs (as a rebuild does).
# A crash between commit and the send (or the enqueue) skips it: rebuild from iter_statements().
statements_recorded = Signal()

# Sent inside the recording transaction, once per batch, after the rows are inserted and before commit; same
# ``statements`` as above. Must be cheap, runs in the writer's transaction: receivers only write rows to the
# same database (an outbox), with one insert per batch; no network, no slow queries, schedule work with
# ``transaction.on_commit``. Whatever they write commits or rolls back with the statements. A receiver that
# raises aborts the batch: nothing is stored and record() raises StatementRejected with status 503.
statements_storing = Signal()
