"""An IP address pasted into a comment is masked wherever the comment is shown, not only in
`export --redact` (the report, the web app and quotes use the same redactor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.text.pii import Redactor, redact


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("My router is 192.168.1.7 and it drops", "My router is [ip] and it drops"),
        ("Blocked from 10.0.0.1:8080 again", "Blocked from [ip] again"),
        ("Logged from fe80::1%eth0 today", "Logged from [ip] today"),
        ("Called at 08:28:09 about v1.2 on 2024-03-01", None),  # times, versions, dates stay
        ("Paid 12.50 for 3.5 kg, rated 4.5/5", None),
    ],
)
def test_ip_addresses_in_comments_are_masked(text: str, shown: str | None) -> None:
    assert redact(text) == (text if shown is None else shown)
    assert Redactor().redact(text) == (text if shown is None else shown)


def test_real_comments_lose_nothing_to_the_ip_mask(shared_data: Path) -> None:
    """No real review or tweet of the shared sets holds an address; none may be changed."""
    from advocacy.text.pii.ip_addresses import mask_ip_addresses

    folder = shared_data / "tweeteval" / "sentiment"
    tweets = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    reviews = (shared_data / "clothing-reviews").glob("*.csv")
    texts = [*tweets, *(line for path in reviews for line in path.read_text("utf-8").splitlines())]
    assert len(texts) > 10_000
    assert [text for text in texts if mask_ip_addresses(text) != text] == []
