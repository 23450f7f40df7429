"""The advocacy report: standalone HTML (and later PDF) built from the workspace's analyses."""
