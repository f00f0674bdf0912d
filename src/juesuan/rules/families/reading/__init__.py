"""Reading rules (R): what the reader could not read, reported at its place."""
