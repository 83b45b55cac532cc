"""Table classes, one module per domain (same names as resolvers/ and schema/)."""
