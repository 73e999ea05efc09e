"""Every non-trivial read: the queue, a claim's page, people, the dashboard, the exports' rows.

Import the module you need (``from claims.selectors import queue``): the audit trail reads
``people`` from here too, so this package itself imports nothing.
"""
