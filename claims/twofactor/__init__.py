"""Two-factor sign-in: an authenticator app (TOTP) and single-use recovery codes, on django-otp.

``services`` writes a person's own devices (enrol, confirm, disable, new recovery codes) and
checks a code at sign-in, under django-otp's throttling; ``selectors`` reads where a person
stands; ``pending`` keeps a sign-in between its password and its code; ``qr`` draws the
enrolment's QR code as SVG on the server; ``views``, ``forms`` and ``urls`` are the pages;
``middleware`` holds editors and staff to a verified session when ``FACTCHECK_REQUIRE_2FA`` is
on (``claims.permissions.must_use_two_factor``). Devices are not claim rows: no audit event,
as for API tokens.
"""
