"""Signals other apps listen to."""
from django.dispatch import Signal

# Sent after the recording transaction commits. kwarg ``statements``: list of the stored statement dicts (with
# id, stored, timestamp, authority), voiding statements included, in stored order. Projections (progress,
# completion) re-evaluate on it. A crash between commit and this signal skips it: rebuild from iter_statements().
statements_recorded = Signal()

# Sent inside the recording transaction, once per batch, after the rows are inserted and before commit; same
# ``statements`` as above. Must be cheap, runs in the writer's transaction: receivers only write rows to the
# same database (an outbox), with one insert per batch; no network, no slow queries, schedule work with
# ``transaction.on_commit``. Whatever they write commits or rolls back with the statements. A receiver that
# raises aborts the batch: nothing is stored and record() raises StatementRejected with status 503.
statements_storing = Signal()
