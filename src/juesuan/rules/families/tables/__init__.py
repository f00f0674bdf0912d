"""Table rules (T01–T11): the identities inside each standard table."""
