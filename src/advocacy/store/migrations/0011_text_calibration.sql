-- 0011: the workspace's fitted sentiment calibration, kept between runs (issue #17).
-- One row per text model setting. `state` is the fitted calibration as JSON (numbers, words and
-- weights only: never code). `labels` is what it was fitted on: the taught labels' digest and
-- the score-derived labels' count per class, so the next run can tell whether the labels
-- changed enough to refit (see advocacy.text.calibration_store).
CREATE TABLE text_calibration (
    model TEXT NOT NULL PRIMARY KEY,
    base_model TEXT NOT NULL,
    format INTEGER NOT NULL,
    labels TEXT NOT NULL,
    state TEXT NOT NULL,
    fitted_at TIMESTAMPTZ NOT NULL
);
