"""django-otp's device admins, taken off the site: a device's key is its person's second factor,
which no one else should read or set, and each person manages their own on their settings page
(``claims.twofactor``). Someone who lost both their app and their recovery codes is reset on
the command line: ``manage.py twofactor_reset USERNAME``."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
