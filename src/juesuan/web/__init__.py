"""Web app and REST API (``juesuan serve``)."""
