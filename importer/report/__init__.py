"""What the database holds, for people and their tools; the report side only reads it: full-text search (the
`search` command), numbers (`stats`), the read-only login for reporting tools (role), the schema's documentation
(schema_doc) and Datasette's metadata (datasette), both generated from the models."""
