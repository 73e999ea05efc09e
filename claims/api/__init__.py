"""The REST API under /api/v1/ (Django REST framework, schema by drf-spectacular).

Thin, as the web views are: serializers clean input, the services decide and write, the
selectors read, and ``claims.permissions`` answers for a token exactly as for its user.
"""
