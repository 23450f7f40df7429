"""Effort cues name friction with the company, not a product's use (audit4 item 13: "chasing"
fired on "I wore these bras about 2 times each by the 3rd time the underwire came out"; on 5,958
real clothing and Amazon reviews 588 texts read high effort, and none of 20 of them read by hand
described effort the company made the customer spend). Texts written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.text import effort
from advocacy.text.model_names import EFFORT_CUES

#: Reviews of products in use: counts of times, durations and difficulty that are no friction.
NO_FRICTION = [
    "Washed it 3 times and the zip came off",
    "I have worn this jacket many times already, love it",
    "Can't wait to wear this to the wedding!",
    "Cannot wait to order it in green",
    "Used it for 2 weeks and the handle snapped",
    "The battery lasts about 6 hours",
    "Hard to open the lid with wet hands",
    "The strap is difficult to adjust",
    "Apply twice a day for best results",
    "Sent it back, too big",
    "The box bounced around in the van and arrived dented",
    "I passed on the blue one and bought the grey",
    "Effortless to clean",
    "The charger took 14 hours to fill the battery the first time",
    "It took forever to heat up",
    "The seller followed up to ask if I was happy, lovely touch",
    "I've dropped my phone several times and the case held up",
    "Still not as soft as my old one",
    "Kids ask for this story over and over",
    # Words the company-side cues use, about a product or one's own doing (review23 item 2).
    "I haven't washed it yet but the colour looks great",
    "Still haven't found a recipe it can't handle",
    "I still don't have a favourite, they are all lovely",
    "Tried to reach the top shelf with it and it bends",
    "The zip refuses to close over my calves",
    "I transferred my photos to the new phone in minutes",
    "I transferred money to my son and it was there in seconds",
    "Haven't seen any rust yet after a winter outside",
    "Tried calling my mum on it and the sound is clear",
]

#: Friction with the company, by the kind the cue should name.
FRICTION = [
    ("I emailed the shop 4 times before anyone answered", "chasing"),
    ("Contacted the seller twice and got no reply", "chasing"),
    ("After repeated attempts to contact support I gave up", "chasing"),
    ("I had to explain the fault three times to three people", "repeating"),
    ("The agent asked me to repeat my postcode", "repeating"),
    ("My delivery was cancelled twice without warning", "repeating"),
    ("I got transferred to billing and then back again", "transfers"),
    ("I was passed around between departments for an hour", "transfers"),
    ("Waited three weeks for the refund", "waiting"),
    ("The parcel arrived ten days late", "waiting"),
    ("It was supposed to arrive Friday and came late again", "waiting"),
    ("Still haven't received my replacement", "waiting"),
    ("It took forever to arrive", "waiting"),
    ("I have been waiting for a reply since Monday", "waiting"),
    ("Returning it was such a hassle", "hassle"),
    ("The returns process was a nightmare", "hassle"),
    ("Impossible to find the contact form on their site", "hassle"),
]


#: Friction with the company that states no count, no duration word of the old cues and no
#: process word: still without what it owes, unable to reach it, stopped by its checks, refused
#: (review23 item 2: the v2 cues read all of these as no effort).
COMPANY_FRICTION = [
    ("Ten days on and I still do not have the replacement they promised", "waiting"),
    ("My wages went in on Monday and they are still not showing in my account", "waiting"),
    ("The payment to my landlord is still pending since Friday", "waiting"),
    ("Returned the boots a month ago and have not received my money back yet", "waiting"),
    ("I am yet to receive the parcel I paid express for", "waiting"),
    ("The order should have arrived last week and nothing", "waiting"),
    ("There is no way to contact the shop except a form nobody reads", "chasing"),
    ("Tried to get in touch with the seller about a missing part, nothing", "chasing"),
    ("Could not get the company to respond to a single message", "chasing"),
    ("The seller won't get back to me about the broken lid", "chasing"),
    ("The app keeps telling me it cannot verify my passport", "hassle"),
    ("It is impossible to get hold of a human at this bank", "hassle"),
    ("They refused to refund me even though it never worked", "hassle"),
    ("Unable to get a refund because the label was removed", "hassle"),
    ("My card keeps getting declined at every till this week", "hassle"),
]


@pytest.mark.parametrize(("text", "kind"), COMPANY_FRICTION)
def test_friction_without_a_count_or_duration_is_still_effort(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize("text", NO_FRICTION)
def test_a_product_in_use_is_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize(("text", "kind"), FRICTION)
def test_friction_with_the_company_is_effort_of_its_kind(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


def test_friction_avoided_is_no_effort() -> None:
    assert effort("Sorted without chasing, no need to call again").cues == ()


def test_a_workspace_read_with_the_old_cues_is_read_again(tmp_path: Path) -> None:
    # Stored effort is read again only for texts the current models did not label; the cues'
    # version is part of that label, so a workspace analysed before these cues loses the
    # high effort the old cues gave "It took forever to heat up".
    path = tmp_path / "mentions.csv"
    path.write_text(
        "text,platform\nIt took forever to heat up,store\nThe lid is fine,store\n",
        encoding="utf-8",
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        current = _models(ws)[0]
        assert current.endswith(f"; {EFFORT_CUES}")
        older = current.removesuffix(f"; {EFFORT_CUES}")  # as stored before the cues' version
        ws.db.execute("UPDATE text_features SET model = ?, effort = 1.0", [older])
        ws.text.analyze()
        features = ws.text.features()
        models = _models(ws)
    assert features["effort"].max() < 0.5
    assert models == [current, current]


def _models(ws: advocacy.Workspace) -> list[str]:
    """The stored ``text_features.model`` of every text."""
    return [str(row[0]) for row in ws.db.fetchall("SELECT model FROM text_features")]
