"""Row ids as typed into URLs and forms: what the database can hold."""

# The largest id a row can have: ids are 64-bit (BigAutoField) on both databases.
LARGEST_ID = 2**63 - 1


def is_row_id(value: str) -> bool:
    """Does ``value``, as typed into a URL or form, name a row id? Only ASCII digits (``"²"``
    passes ``isdigit`` but not ``int``) and nothing past 64 bits, which the database refuses."""
    return value.isascii() and value.isdigit() and int(value) <= LARGEST_ID
