"""The migration's statements, by what they touch: the catalog (engine, applied migrations,
collation), any carried table's rows, import chunks, operators, the legacy auth store's
snapshot and the gallery's public works rebuilt on import. The migration may name every
domain's tables (tests/test_cross_domain_sql.py ALLOWED); the ordering, validation and
chunking decisions stay in the domain's other modules."""
