"""Signing in, beyond Django's own views: throttled failures (django-axes, with the desk's
lockout page and the address it counts), sessions that end when idle, and password reset
mails sent by the worker.

Django's LoginView, admin login and password views do the signing in; this package holds what
they lack, and the settings wire it in (``factcheck/settings.py``, the "Sign-in" block).
"""
