"""The ingest layer: read files, recognise survey-tool exports, map and validate rows."""
