"""Signals other apps may subscribe to.

``ledger_entry_recorded`` (kwarg ``entry``: ``lms.credits.data.LedgerEntryRecord``) is sent once per new
ledger entry written on the live path, after the transaction that wrote it commits. Bulk rebuilds do not
send it (their consumers rebuild from the ledger instead).
"""
from django.dispatch import Signal

ledger_entry_recorded = Signal()
