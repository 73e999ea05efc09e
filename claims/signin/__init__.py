"""Signing in, beyond Django's own views: throttled failures (django-axes, with the desk's
lockout page and the address it counts).

Django's LoginView and the admin's login do the signing in; this package holds what they
lack, and the settings wire it in (``factcheck/settings.py``, the "Sign-in" block).
"""
