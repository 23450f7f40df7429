"""The ingest layer: read files, recognise survey-tool exports, map and validate rows."""

import csv

#: Python's csv readers refuse a field of more than 131,072 characters unless told otherwise,
#: while pyarrow reads any size: a file with a document pasted into one cell failed with
#: ``field larger than field limit`` in whichever csv reader saw it (blank lines, broken
#: records, labelled files). The limit is the process's; raising it only lets more through.
csv.field_size_limit(2**31 - 1)
