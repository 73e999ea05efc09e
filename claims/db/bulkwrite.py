"""Bulk writing for seed_bulk and claim imports: ids reserved first, one INSERT or COPY per table.

No library serves: the COPY loaders (django-postgres-copy, django-bulk-load) speak only PostgreSQL.
Both callers write hundreds of thousands of rows, where ``bulk_create`` spends longer compiling SQL
for every value than the database spends inserting. Callers build unsaved model instances as
usual; these helpers only change how they travel to the database.
"""

from functools import partial

from django.db import connection, models


class IdBlock:
    """Primary keys for rows a bulk writer creates, handed out before the rows exist.

    PostgreSQL reserves them from the table's sequence, safe beside other writers. Elsewhere
    they continue past the highest id ever issued (on SQLite, AUTOINCREMENT's own counter, so
    the id of a deleted claim, which its surviving audit events still carry, is never reused);
    there another writer during the run makes a batch fail on its primary key and stop.
    """

    def __init__(self, model):
        self.model = model
        self.next = None if connection.vendor == "postgresql" else self._highest() + 1

    def _highest(self) -> int:
        table, column = self.model._meta.db_table, self.model._meta.pk.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
        return highest

    def take(self, count: int) -> list[int]:
        if self.next is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, self.model._meta.pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
        ids = list(range(self.next, self.next + count))
        self.next += count
        return ids


def _adapter(field):
    """How the backend adapts this field's Python values, or None when the driver takes them.

    These are the calls ``get_db_prep_save`` ends in for the values the bulk writers build (aware
    datetimes, dates, dicts, strings, integers), without its per-value checks.
    """
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return partial(ops.adapt_json_value, encoder=field.encoder)
    return None


def table_rows(model, objs: list) -> tuple[str, list[str], list[list]]:
    """Unsaved instances as (table, columns, values), values adapted as the backend adapts them.

    Unlike ``bulk_create``, which compiles SQL for every row and value, the writer sends one
    prepared statement (or a COPY) per table. Rows without a primary key get theirs from the
    database.
    """
    if not objs:
        return model._meta.db_table, [], []
    with_pk = objs[0].pk is not None
    fields = [f for f in model._meta.local_concrete_fields if with_pk or not f.primary_key]
    columns = [(f.attname, _adapter(f)) for f in fields]
    rows = [
        [
            value if adapt is None or value is None else adapt(value)
            for value, adapt in ((getattr(obj, name), adapt) for name, adapt in columns)
        ]
        for obj in objs
    ]
    return model._meta.db_table, [f.column for f in fields], rows


def write_rows(cursor, table: str, columns: list[str], rows: list[list]) -> None:
    """COPY on PostgreSQL (its fastest way in); elsewhere one INSERT run for every row."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})",  # noqa: S608
        rows,
    )
