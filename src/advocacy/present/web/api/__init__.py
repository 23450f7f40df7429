"""The REST API under ``/api/v1``: read metrics and analyses, write evidence."""
