-- 0021: a review's or an answer's title ("Some major design flaws", review_comment_title) is a
-- field of its own, read with the text (title, then body) by text analytics, instead of a
-- column kept in attrs and never read. Rows imported before keep their title in attrs until
-- they are imported again.
ALTER TABLE responses ADD COLUMN title TEXT;
ALTER TABLE mentions ADD COLUMN title TEXT;
