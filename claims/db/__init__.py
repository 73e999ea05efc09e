"""What is specific to SQLite or PostgreSQL: the bulk writer and the SQL the database runs itself
(triggers). Search queries, which read that SQL's tables, stay in ``claims.search``."""
