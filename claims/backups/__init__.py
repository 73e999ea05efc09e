"""Online backups of the desk and their restore: the database (SQLite's backup API or
``pg_dump``), the audit checkpoints' files and a manifest, in one folder or tar file.

``database`` holds what differs between SQLite and PostgreSQL; ``archive`` the folder's
layout, the manifest and the two operations the commands call (``backup_make``,
``backup_restore``).
"""
