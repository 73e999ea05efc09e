"""Notifications: who hears of what happens on the desk, in the app and by e-mail.

``fanout`` turns an audit event into notifications after its write commits (``tasks``),
``reminders`` and ``digest`` are the worker's periodic jobs, ``email`` writes and sends the
mails, ``services`` are each person's own writes (preferences, watches, read marks) and
``selectors`` the inbox's reads. Import the module you need.
"""
