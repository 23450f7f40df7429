"""Short texts written for the theme-naming tests: a cluster about a late parcel, to name beside
the cluster under test."""

#: Eight complaints about a parcel's delivery.
PARCEL = [
    "The parcel came a week late",
    "Courier left the parcel at the wrong door",
    "Delivery took two weeks",
    "The parcel was late and the courier rude",
    "Tracking said delivered but no parcel",
    "The courier never rang the bell",
    "Late delivery again",
    "The parcel arrived crushed",
]
