-- 0017: a target's metric loses the whitespace around it, tabs and Unicode spaces too.
-- The import checked a target's metric after SQL `trim`, which strips spaces only, while the
-- gaps read it with Python's `str.strip` (ingest/target_values.metric_name), which strips every
-- whitespace character: `csat` and a tab got past the `csat-mean` and range checks and was then
-- read as a share (4.2 "met"; `nps` and a tab at 500 past the range; review12 item 1). Since
-- then the import strips what metric_name strips before it checks and stores a metric. This
-- strips the metrics stored before the same way (the code points of METRIC_SPACE_CODES: a test
-- keeps the two equal), then applies 0014's rule to the `csat` targets it uncovers: a value
-- above 1 up to 5 was a mean rating and becomes `csat-mean`. Case and `_` are kept as written,
-- as the import keeps them; record_hash is left as it was (the next import of the same file
-- finds the row changed once, as after 0014).
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL (chr() of a code point in both).

UPDATE targets SET metric = trim(both
    chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(28) || chr(29) || chr(30) ||
    chr(31) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) ||
    chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) ||
    chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)
    from metric)
WHERE metric <> trim(both
    chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(28) || chr(29) || chr(30) ||
    chr(31) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) ||
    chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) ||
    chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)
    from metric);

UPDATE targets SET metric = 'csat-mean'
WHERE replace(lower(metric), '_', '-') = 'csat'
  AND desired_value > 1 AND desired_value <= 5;
