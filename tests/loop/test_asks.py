"""Ask campaigns through ``ws.asks`` on both engines: guards, holdout, links, landing, results,
rewards.

Every test runs on a real DuckDB file and a real PostgreSQL server (``db_url``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import NotFoundError, UsageError, ValidationError
from advocacy.loop.asks.audience import arm_of
from advocacy.loop.asks.links import AskClaims, sign_ask, verify_ask
from advocacy.loop.notify.email import build_email
from advocacy.loop.surveys.contact_guard import last_contacts
from advocacy.loop.surveys.signing import LinkError, LinkExpiredError, sign_values
from advocacy.store.steady import steady_tables
from advocacy.workspace import Workspace

KEY = "test-key-not-for-production"
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
REVIEW = "https://www.trustpilot.com/review/example.com"


@pytest.fixture
def ws(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", KEY)
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://ask.example.com/")
    monkeypatch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "30")
    with advocacy.open(db_url) as workspace:
        yield workspace


def customers(ws: Workspace, count: int, *, segment: str = "smb") -> list[str]:
    ids = [f"C{index:03d}" for index in range(count)]
    for customer_id in ids:
        ws.db.execute(
            "INSERT INTO customers (customer_id, name, email, segment) VALUES (?, ?, ?, ?)",
            [customer_id, f"Name {customer_id}", f"{customer_id.lower()}@example.com", segment],
        )
    return ids


def campaign(**changes: object) -> dict[str, object]:
    return {
        "id": "spring",
        "audience": {"kind": "everyone"},
        "action": "review",
        "channel": "links",
        "targets": {"trustpilot": REVIEW},
        "seed": 11,
        "final_n": 20,
    } | changes


def token_of(url: str) -> str:
    return url.split("/a/")[1].split("/")[0]


def test_a_send_leaves_out_every_guarded_customer_before_the_holdout(ws: Workspace) -> None:
    ids = customers(ws, 12)
    ws.db.execute("UPDATE customers SET email = NULL WHERE customer_id = 'C011'")
    # C000 has an open case; C001 a detractor answer 10 days ago; C002 was invited to a survey
    # 5 days ago (contact guard); C003 was assigned by another campaign 20 days ago.
    ws.db.execute(
        "INSERT INTO cases (case_id, rule_id, customer_id, evidence_kind, evidence_id, status, "
        "opened_at, due_at, escalation_level, updated_at) "
        "VALUES ('K1', 'r', 'C000', 'responses', 'R0', 'new', ?, ?, 0, ?)",
        [NOW, NOW, NOW],
    )
    ws.write_records(
        "responses",
        [
            {"response_id": "R1", "customer_id": "C001", "nps": 3,
             "submitted_at": (NOW - dt.timedelta(days=10)).isoformat()},
            {"response_id": "R2", "customer_id": "C004", "nps": 2,
             "submitted_at": (NOW - dt.timedelta(days=200)).isoformat()},
        ],
    )  # fmt: skip
    ws.db.execute(
        "INSERT INTO survey_invitations (invitation_id, survey_id, customer_id, purpose, "
        "created_at, expires_at) VALUES ('I1', 'default', 'C002', 'invitation', ?, ?)",
        [NOW - dt.timedelta(days=5), NOW + dt.timedelta(days=25)],
    )
    ws.asks.add(campaign(id="winter", seed=1))
    ws.db.execute(
        "INSERT INTO ask_members (campaign_id, customer_id, arm, channel, assigned_at) "
        "VALUES ('winter', 'C003', 'control', 'links', ?)",
        [NOW - dt.timedelta(days=20)],
    )
    ws.asks.add(campaign(channel="links"))
    sent = ws.asks.send("spring", now=NOW)
    assert dict(sent.skipped) == {
        "C000": "open case",
        "C001": "recent detractor",
        "C002": "contacted recently",
        "C003": "asked recently",
    }
    eligible = [c for c in ids if c not in ("C000", "C001", "C002", "C003")]  # C004: long ago
    spring = ws.asks.get("spring")
    expected_control = [c for c in eligible if arm_of(spring, c) == "control"]
    assert sent.control == expected_control
    assert [row["customer_id"] for row in sent.asked] == [
        c for c in eligible if c not in expected_control
    ]
    assert all(set(row["urls"]) == {"trustpilot"} for row in sent.asked)
    # Everyone is recorded with their arm; a second send asks nobody twice.
    again = ws.asks.send("spring", now=NOW + dt.timedelta(days=1))
    assert (again.asked, again.control) == ([], [])
    assert again.skipped_by_reason["already a member"] == len(eligible)
    # The asked now count as contacted for survey invitations (the contact guard).
    asked_one = sent.asked[0]["customer_id"]
    contacted = last_contacts(ws.db, [asked_one], since=NOW - dt.timedelta(days=1))
    assert contacted[asked_one].reason == "asked"

    # An e-mail campaign refuses to start without e-mail, and leaves out customers without one.
    ws.asks.add(campaign(id="mail", channel="email"))
    with pytest.raises(UsageError, match="e-mail is not set up"):
        ws.asks.send("mail", now=NOW)


def test_email_campaign_skips_customers_without_an_address(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", KEY)
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "smtp.invalid")
    with advocacy.open(db_url) as ws:
        customers(ws, 4)
        ws.db.execute("UPDATE customers SET email = ' ' WHERE customer_id = 'C001'")
        ws.asks.add(campaign(channel="email", holdout=0.05, seed=2))
        sent = ws.asks.send("spring", now=NOW)
        assert dict(sent.skipped) == {"C001": "no e-mail"}
        asked = [row["customer_id"] for row in sent.asked]
        queued = ws.outbox.messages()
        assert sorted(m.destination for m in queued) == sorted(
            f"{c.lower()}@example.com" for c in asked
        )
        assert sent.messages == len(asked) and {m.event for m in queued} == {"ask.sent"}
        email = build_email(queued[0], sender="shop@example.com", public_url="https://x")
        text = email.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert text.startswith("Thank you for your kind words. Would you tell a friend")
        assert "trustpilot: http" in text and "cases" not in text  # no staff footer
        assert email["Subject"] == "Would you recommend us?"


def test_the_holdout_is_a_seeded_draw_near_the_stated_share() -> None:
    from advocacy.loop.asks.campaigns import campaign_from_mapping

    first = campaign_from_mapping(campaign(seed=5))
    arms = [arm_of(first, f"C{i}") for i in range(20_000)]
    share = arms.count("control") / len(arms)
    assert abs(share - 0.2) < 3 * (0.2 * 0.8 / len(arms)) ** 0.5 + 1e-9
    assert arms == [arm_of(first, f"C{i}") for i in range(20_000)]  # re-derivable
    other = campaign_from_mapping(campaign(seed=6))
    assert arms != [arm_of(other, f"C{i}") for i in range(20_000)]


def test_campaign_files_report_the_line_and_field_at_fault(tmp_path: Path, ws: Workspace) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "id: spring\naudience: {kind: silent-promoters}\naction: review\nchannel: links\n"
        "targets: {evil: 'javascript:alert(1)'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as error:
        ws.asks.add(path)
    assert (error.value.file, error.value.row, error.value.column) == (str(path), 5, "targets.evil")
    path.write_text(
        "id: spring\naudience: {kind: everyone}\naction: review\nchannel: links\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="needs at least one target"):
        ws.asks.add(path)
    with pytest.raises(ValidationError, match="holdout"):
        ws.asks.add(campaign(holdout=0.9))


def test_a_started_campaign_keeps_its_experiment(ws: Workspace) -> None:
    customers(ws, 5)
    ws.asks.add(campaign())
    ws.asks.send("spring", now=NOW)
    with pytest.raises(UsageError, match="seed, holdout"):
        ws.asks.add(campaign(seed=99, holdout=0.3))
    renamed = ws.asks.add(campaign(name="Spring reviews"))
    assert renamed.name == "Spring reviews" and renamed.seed == 11


def test_links_are_tamper_proof(ws: Workspace) -> None:
    customers(ws, 10)
    ws.asks.add(campaign())
    sent = ws.asks.send("spring", now=NOW)
    token = token_of(sent.asked[0]["urls"]["trustpilot"])
    claims = verify_ask(token, secret=KEY, now=NOW)
    assert claims.campaign_id == "spring" and claims.customer_id == sent.asked[0]["customer_id"]
    body, signature = token.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in (
        f"{flipped}.{signature}",  # the payload changed
        f"{body}.{signature[:-1]}x",  # the signature changed
        body,  # no signature
        "",
        "x" * 5000,
        sign_values(["spring", claims.customer_id, 4102444800], domain="link", secret=KEY),
    ):
        with pytest.raises(LinkError):
            verify_ask(bad, secret=KEY, now=NOW)
    with pytest.raises(LinkError):
        verify_ask(token, secret="another-key", now=NOW)
    with pytest.raises(LinkExpiredError):
        verify_ask(token, secret=KEY, now=NOW + dt.timedelta(days=181))
    # A well-signed token for a control member (never sent) or a stranger opens nothing.
    forged = sign_ask(AskClaims("spring", sent.control[0], claims.expires_at), secret=KEY)
    stranger = sign_ask(AskClaims("spring", "C999", claims.expires_at), secret=KEY)
    for token_ in (forged, stranger):
        with pytest.raises(LinkError, match="never sent"):
            ws.asks.follow(token_, "trustpilot", now=NOW)


def test_the_redirect_goes_only_to_the_targets_the_campaign_names(ws: Workspace) -> None:
    customers(ws, 6)
    ws.asks.add(campaign(targets={"trustpilot": REVIEW, "google": "https://g.page/r/x/review"}))
    sent = ws.asks.send("spring", now=NOW)
    token = token_of(sent.asked[0]["urls"]["trustpilot"])
    assert ws.asks.follow(token, "trustpilot", now=NOW) == REVIEW
    assert ws.asks.follow(token, "google", now=NOW) == "https://g.page/r/x/review"
    for target in ("https://evil.example", "//evil.example", "landing", "TRUSTPILOT", "../x"):
        with pytest.raises(NotFoundError):
            ws.asks.follow(token, target, now=NOW)
    clicks = ws.db.fetchall("SELECT target FROM ask_events WHERE kind = 'click' ORDER BY target")
    assert clicks == [("google",), ("trustpilot",)]  # refused targets counted nothing


def test_a_friend_lands_and_a_later_transactions_import_converts_the_referral(
    ws: Workspace, tmp_path: Path
) -> None:
    customers(ws, 10)
    ws.asks.add(campaign(action="refer", targets={"welcome": "https://example.com/hi"},
                         reward={"to": "both", "when": "conversion", "amount": 10}))  # fmt: skip
    sent = ws.asks.send("spring", now=NOW)
    advocate = sent.asked[0]["customer_id"]
    token = token_of(sent.asked[0]["urls"]["landing"])
    assert ws.asks.follow(token, "landing", now=NOW).endswith(f"/r/{token}/share")
    later = NOW + dt.timedelta(days=2)
    kept = ws.asks.land(token, name="Ann", email="ann@example.org", consent=True, now=later)
    private = ws.asks.land(token, name="Bob", email="bob@example.org", consent=False, now=later)
    assert kept.welcome_url == "https://example.com/hi"
    rows = ws.db.fetchall(
        "SELECT referral_id, referrer_id, referred_contact, code, channel FROM referrals "
        "ORDER BY referred_contact NULLS LAST"
    )
    assert rows == [
        (kept.referral_id, advocate, "ann@example.org", kept.code, "ask:spring"),
        (private.referral_id, advocate, None, private.code, "ask:spring"),
    ]
    with pytest.raises(ValidationError, match="@"):
        ws.asks.land(token, email="not-an-address", consent=True, now=later)

    purchases = tmp_path / "transactions.csv"
    purchases.write_text(
        "transaction_id,customer_id,occurred_at,amount,referral_code\n"
        f"T1,NEW1,{(NOW + dt.timedelta(days=5)).date()},80.0,{private.code}\n",
        encoding="utf-8",
    )
    ws.import_file(purchases, kind="transactions")
    results = ws.asks.results("spring", now=NOW + dt.timedelta(days=6))
    table = results.outcomes.set_index("outcome")
    assert table.loc["referral", "ask_hits"] == 1 and table.loc["referral", "control_hits"] == 0
    assert table.loc["converted referral", "ask_hits"] == 1
    assert results.earned["ask_total"] == 80.0
    assert results.look == "interim" and results.verdict == "too early"
    with steady_tables():  # a report run: the referrals are attributed once for both readers
        attributed = ws.advocates.referrals()
        assert ws.advocates.referrals() is attributed
        inside = ws.asks.results("spring", now=NOW + dt.timedelta(days=6))
    assert inside.outcomes.to_dict("records") == results.outcomes.to_dict("records")
    assert inside.earned == results.earned
    rewards = ws.asks.rewards("spring")
    assert sorted(rewards["beneficiary"]) == ["advocate", "friend"]
    assert set(rewards["referral_id"]) == {private.referral_id}  # only the converted one
    assert set(rewards["status"]) == {"due"}


def test_rewards_are_withheld_on_fraud_signals_and_exported_once(
    ws: Workspace, tmp_path: Path
) -> None:
    customers(ws, 10)
    ws.db.execute("UPDATE customers SET name = '=HYPERLINK(\"http://x\")'")
    reward = {"to": "both", "when": "referral", "amount": 5, "currency": "EUR"}
    ws.asks.add(campaign(action="refer", targets={}, reward=reward))
    sent = ws.asks.send("spring", now=NOW)
    first, second = sent.asked[0], sent.asked[1]
    # The first advocate refers their own address: a self-referral.
    own = ws.asks.land(
        token_of(first["urls"]["landing"]), email=first["email"], consent=True, now=NOW
    )
    fair = ws.asks.land(
        token_of(second["urls"]["landing"]), email="=cmd|' /C calc'!A0@x.org", consent=True, now=NOW
    )
    rewards = ws.asks.rewards("spring").set_index(["referral_id", "beneficiary"])
    assert rewards.loc[(own.referral_id, "advocate"), "status"] == "withheld"
    assert "self-referral" in rewards.loc[(own.referral_id, "advocate"), "reason"]
    assert rewards.loc[(fair.referral_id, "friend"), "status"] == "due"
    out = tmp_path / "rewards.csv"
    assert ws.asks.export_rewards("spring", out) == 2
    with out.open(encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert {row["beneficiary"] for row in exported} == {"advocate", "friend"}
    friend = next(row for row in exported if row["beneficiary"] == "friend")
    assert friend["email"].startswith("'=")  # neutralised: a spreadsheet shows it as text
    assert ws.asks.export_rewards("spring", tmp_path / "again.csv") == 0
    assert set(ws.asks.rewards("spring")["status"]) == {"exported", "withheld"}


def test_the_verdict_waits_for_the_final_analysis_at_n(ws: Workspace) -> None:
    ids = customers(ws, 60)
    ws.asks.add(campaign(action="refer", targets={}, final_n=40, window_days=30))
    sent = ws.asks.send("spring", now=NOW)
    for row in sent.asked:  # every asked customer refers someone within the window
        ws.write_records(
            "referrals",
            [{"referral_id": f"F{row['customer_id']}", "referrer_id": row["customer_id"],
              "referred_at": (NOW + dt.timedelta(days=3)).isoformat()}],
        )  # fmt: skip
    interim = ws.asks.results("spring", now=NOW + dt.timedelta(days=10))
    assert interim.look == "interim" and interim.verdict == "too early"
    assert interim.analysed == len(ids)
    final = ws.asks.results("spring", now=NOW + dt.timedelta(days=31))
    assert final.look == "final" and final.analysed == 40
    assert final.verdict == "improved"
    row = final.outcomes.set_index("outcome").loc["referral"]
    assert row["ask_rate"] == 1.0 and row["control_rate"] == 0.0 and row["low"] > 0.5
    # A referral made after the window does not count.
    assert ws.asks.results("spring", now=NOW + dt.timedelta(days=31)).to_dict()["look"] == "final"


def test_without_a_secret_key_nothing_is_sent_or_recorded(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ADVOCACY_SECRET_KEY", raising=False)
    with advocacy.open(db_url) as ws:
        customers(ws, 5)
        ws.asks.add(campaign())
        with pytest.raises(UsageError, match="secret key"):
            ws.asks.send("spring", now=NOW)
        assert ws.db.fetchall("SELECT count(*) FROM ask_members") == [(0,)]


def test_the_thank_you_prompt_assigns_promoters_once_under_the_guards(ws: Workspace) -> None:
    ids = customers(ws, 30)
    with pytest.raises(ValidationError, match="just answered"):
        ws.asks.add(campaign(action="refer", channel="survey-prompt", targets={}))
    spring = ws.asks.add(
        campaign(
            action="refer",
            channel="survey-prompt",
            targets={},
            audience={"kind": "recent-promoters"},
        )
    )
    asked = [c for c in ids if arm_of(spring, c) == "ask"]
    held = [c for c in ids if arm_of(spring, c) == "control"]
    assert ws.asks.prompt(asked[0], 8, now=NOW) is None  # a passive is not asked
    assert ws.asks.prompt(None, 10, now=NOW) is None  # nor an anonymous answer
    shown = ws.asks.prompt(asked[0], 10, now=NOW)
    assert shown is not None and set(shown.urls) == {"landing"}
    again = ws.asks.prompt(asked[0], 9, now=NOW + dt.timedelta(hours=1))
    assert again is not None and again.urls == shown.urls  # the same member, the same link
    assert ws.asks.prompt(held[0], 10, now=NOW) is None  # the control group sees nothing
    ws.write_records(
        "responses",
        [{"response_id": "D1", "customer_id": asked[1], "nps": 2,
          "submitted_at": (NOW - dt.timedelta(days=3)).isoformat()}],
    )  # fmt: skip
    assert ws.asks.prompt(asked[1], 10, now=NOW) is None  # a recent detractor is not asked
    members = ws.db.fetchall("SELECT customer_id, arm FROM ask_members ORDER BY customer_id")
    assert members == sorted([(asked[0], "ask"), (held[0], "control")])
    with pytest.raises(UsageError, match="thank-you page"):
        ws.asks.send("spring", now=NOW)


def test_a_review_counts_when_favourable_and_within_the_window(ws: Workspace) -> None:
    customers(ws, 12)
    ws.asks.add(campaign(holdout=0.2, seed=3))
    sent = ws.asks.send("spring", now=NOW)
    happy, grumpy, late = (row["customer_id"] for row in sent.asked[:3])
    ws.write_records(
        "mentions",
        [
            {"mention_id": "M1", "customer_id": happy, "rating": 5, "text": "Great",
             "platform": "trustpilot", "posted_at": (NOW + dt.timedelta(days=2)).isoformat()},
            {"mention_id": "M2", "customer_id": grumpy, "rating": 1, "text": "Awful",
             "platform": "trustpilot", "posted_at": (NOW + dt.timedelta(days=2)).isoformat()},
            {"mention_id": "M3", "customer_id": late, "rating": 5, "text": "Great",
             "platform": "trustpilot", "posted_at": (NOW + dt.timedelta(days=45)).isoformat()},
        ],
    )  # fmt: skip
    results = ws.asks.results("spring", now=NOW + dt.timedelta(days=50))
    review = results.outcomes.set_index("outcome").loc["review"]
    assert (review["ask_hits"], review["control_hits"]) == (1, 0)
    assert results.primary == "review"
