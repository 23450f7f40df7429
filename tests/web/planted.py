"""Plant a text in every text field a user can reach, the way users reach them.

>>> planted = plant(url, "<img src=x onerror=alert(1)>", folder=tmp_path)
>>> planted.customer_id, planted.case_id, planted.fields["responses.comment"]
>>> plant(url, lambda field: "Ring Priya Shah on 07700 900123" if field in FREE_TEXT_FIELDS
...       else "Priya Shah", folder=tmp_path)

``text`` is either one string written everywhere, or a function of the field's name
(``"customers.name"``, ``"responses.comment"``, ``"cases.root_cause"``, ...: ``table.column``,
with a suffix where one column is written through two doors) returning what to write there, so
a test can put a name in name fields and a phone number in comments (:data:`FREE_TEXT_FIELDS`,
:data:`PERSONAL_FIELDS`). Every field written is listed in :attr:`Planted.fields` with the text
it got; a field the product refused (a validation error, a quarantined cell) is listed in
:attr:`Planted.refused` with the reason, and its record is written without it.

The records go in through every door a user has: files through ``advocacy import`` (customers,
employees, responses with attribute ratings, interactions, employee survey answers with culture
ratings, targets), the REST API (responses, mentions, notes, interactions, referrals,
transactions, a plan, a token), the hosted survey (a survey whose texts are all planted, answered
through its anonymous link and a signed link), the taxonomy (a curated theme, a promoted
discovered theme) and the CLI (case rules, a plan, a user's units, a token, and a case worked
from contact to close: notes, owner, root cause, action taken). All planted evidence is about
one customer in one unit (:attr:`Planted.customer_id`, :attr:`Planted.unit`), so a case handler
given that unit sees it. Ids stay plain so pages can be opened by id; one extra customer carries
the planted text as its id (``customers.customer_id``).

Signed survey links need ``ADVOCACY_SECRET_KEY`` in the environment, the same one the server
that shows them uses. Each call writes through ``advocacy.open(url)``, so no server may hold the
workspace open meanwhile.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import advocacy
from advocacy.demo.cases import demo_rules
from advocacy.errors import AdvocacyError
from advocacy.present.cli.main import app as cli
from advocacy.present.web import create_app

Text = str | Callable[[str], str]


def _demo_owners() -> set[str]:
    """Everyone the demo's rules route to, escalate to or fall back on (none has an account)."""
    owners: set[str] = set()
    for rule in demo_rules():
        owners |= {route.owner for route in rule.routes}
        owners |= {name for name in (rule.default_owner, rule.escalate_to) if name}
    return owners


#: Fields of free text (what people wrote), where masking has to find personal data itself.
FREE_TEXT_FIELDS = (
    "responses.comment",
    "mentions.text",
    "notes.text",
    "employee_responses.comment",
    "survey_answers.anonymous_comment",
    "survey_answers.signed_comment",
    "case_events.contact",
    "case_events.note",
    "case_events.assign",
    "case_events.close",
    "case_events.open_note",
    "cases.root_cause",
    "cases.action_taken",
    "plans.description",
    "themes.description",
)
#: Fields that are personal data as a whole (a viewer sees them masked).
PERSONAL_FIELDS = (
    "customers.name",
    "customers.email",
    "customers.phone",
    "employees.name",
    "employees.email",
    "mentions.author",
    "notes.interviewer",
    "referrals.referred_contact",
)

CUSTOMER = "planted-customer"
SURVEY_CUSTOMERS = ("planted-survey-customer-1", "planted-survey-customer-2")
EMPLOYEE = "planted-employee"
SURVEY = "planted-survey"
#: The demo's discovered theme promoted into the taxonomy under a planted name.
PROMOTED_THEME = "discovered-01"


@dataclass
class Planted:
    """What :func:`plant` wrote, and the ids to open it by."""

    url: str
    unit: str = ""  # the unit every planted record is in
    customer_id: str = CUSTOMER
    employee_id: str = EMPLOYEE
    survey_id: str = SURVEY
    case_id: str = ""  # opened by a planted answer, then worked to closed through the CLI
    open_case_id: str = ""  # opened by the anonymous survey answer, still open
    plan_ids: list[str] = field(default_factory=list)
    signed_path: str = ""  # an unanswered signed survey link: /s/<token>
    fields: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


class _Planter:
    def __init__(self, url: str, text: Text, folder: Path) -> None:
        self.planted = Planted(url)
        self.text = text
        self.folder = folder
        self.runner = CliRunner()
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.bearer: dict[str, str] = {}
        self.signed: list[str] = []
        # Owners must be users or teams of the case_teams setting: the demo's owners have no
        # accounts, and an owner name planted here is listed as a team, as an admin could.
        self.teams = _demo_owners()

    # -- texts -------------------------------------------------------------------------------
    def __call__(self, name: str) -> str:
        value = self.text(name) if callable(self.text) else self.text
        self.planted.fields[name] = value
        return value

    def owner(self, name: str) -> str:
        """The text planted as the owner ``name``, listed as a team (a setting holds no ',')."""
        value = self(name)
        if "," not in value and value.strip():
            self.teams.add(value.strip())
        return value

    def refuse(self, name: str, reason: str) -> None:
        self.planted.fields.pop(name, None)
        self.planted.refused[name] = reason

    def when(self, days_ago: float) -> str:
        return (self.now - timedelta(days=days_ago)).isoformat()

    # -- doors -------------------------------------------------------------------------------
    def cli(self, *args: str, refusable: bool = False) -> tuple[str, AdvocacyError | None]:
        """Run ``advocacy ARGS --db URL``; a library refusal is returned when ``refusable``."""
        # The demo's case owners have no accounts: as teams, its rules load back as exported.
        teams = ",".join(sorted(self.teams))
        # --debug lets a library refusal out of the CLI's error boundary, as the error itself.
        debug = ["--debug"] if refusable else []
        result = self.runner.invoke(
            cli,
            [*debug, *args, "--db", self.planted.url],
            env={"COLUMNS": "200", "ADVOCACY_CASE_TEAMS": teams},
        )
        if isinstance(result.exception, AdvocacyError) and refusable:
            return result.stdout, result.exception
        assert result.exit_code == 0, f"advocacy {args}: {result.output} {result.exception!r}"
        return result.stdout, None

    def import_file(
        self, kind: str, rows: list[dict[str, str]], mapping: dict[str, Any] | None = None
    ) -> None:
        """Import ``rows`` as CSV; a quarantined cell is refused and its row imported without it."""
        for attempt in range(2):
            path = self.folder / f"planted-{kind}-{attempt}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            args = ["import", str(path), "--kind", kind, "--format", "json"]
            if mapping is not None:
                map_path = self.folder / f"planted-{kind}.yaml"
                map_path.write_text(yaml.safe_dump({"kind": kind, **mapping}), encoding="utf-8")
                args += ["--map", str(map_path)]
            summary = json.loads(self.cli(*args)[0])
            if not summary["rows_quarantined"]:
                return
            assert attempt == 0, f"{kind}: rows still quarantined after refusals: {summary}"
            listed = self.cli(
                "quarantine", "list", "--import", summary["import_id"], "--format", "json"
            )[0]
            for entry in json.loads(listed):
                column, reason = entry["column"], entry["reason"]
                self.refuse(f"{kind.replace('-', '_')}.{column}", reason)
                for row in rows:
                    row[column] = ""

    def api(self, client: TestClient, method: str, path: str, body: Any) -> Any:
        response = client.request(method, path, json=body, headers=self.bearer)
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        return response.json()

    # -- the records -------------------------------------------------------------------------
    def people(self) -> None:
        t = self
        unit = self.planted.unit = t("responses.unit")
        segment = t("customers.segment")
        customers = [
            {
                "customer_id": customer_id,
                "name": t("customers.name"),
                "email": t("customers.email"),
                "phone": t("customers.phone"),
                "segment": segment,
                "region": t("customers.region"),
                "value_tier": t("customers.value_tier"),
                "Favourite colour": t("customers.attrs"),
            }
            for customer_id in (CUSTOMER, *SURVEY_CUSTOMERS, t("customers.customer_id"))
        ]
        self.import_file("customers", customers)
        employee = {
            "employee_id": EMPLOYEE,
            "name": t("employees.name"),
            "email": t("employees.email"),
            "unit": unit,
            "role": t("employees.role"),
        }
        self.import_file("employees", [employee])

    def rules(self) -> None:
        t = self
        exported = self.folder / "rules-exported.yaml"
        self.cli("cases", "export-rules", "--out", str(exported))
        shipped = yaml.safe_load(exported.read_text(encoding="utf-8"))["rules"]
        owners = {
            "rules.route_owner": t.owner("rules.route_owner"),
            "rules.default_owner": t.owner("rules.default_owner"),
            "rules.escalate_to": t.owner("rules.escalate_to"),
        }
        for attempt in range(2):
            planted_rule = {
                "id": "planted-rule",
                "name": t("rules.name"),
                "trigger": "nps_at_most",
                "params": {"threshold": 6},
                "routes": (
                    [{"unit": self.planted.unit, "owner": owners["rules.route_owner"]}]
                    if owners["rules.route_owner"] is not None
                    else []
                ),
                "default_owner": owners["rules.default_owner"],
                "due_hours": 48,
                "escalate_after_hours": 72,
                "escalate_to": owners["rules.escalate_to"],
                "priority": "high",
                "enabled": True,
            }
            path = self.folder / f"rules-planted-{attempt}.yaml"
            # First, so the planted rule opens the planted answers' cases.
            path.write_text(yaml.safe_dump({"rules": [planted_rule, *shipped]}), "utf-8")
            _, refusal = self.cli("cases", "load-rules", str(path), refusable=attempt == 0)
            if refusal is None:
                return
            # Owners must be users (or listed teams): plant the rest without them.
            for name in owners:
                self.refuse(name, refusal.message)
            owners = dict.fromkeys(owners)

    def survey(self) -> None:
        t = self
        definition = {
            "survey_id": SURVEY,
            "title": t("surveys.title"),
            "company": t("surveys.company"),
            "intro": t("surveys.intro"),
            "nps_question": t("surveys.nps_question"),
            "csat_question": t("surveys.csat_question"),
            "ces_question": t("surveys.ces_question"),
            "comment_prompt": t("surveys.comment_prompt"),
            "thanks": t("surveys.thanks"),
            "touchpoint": t("surveys.touchpoint"),
            "unit": self.planted.unit,
            "channel": t("surveys.channel"),
            "anonymous_allowed": True,
            "active": True,
        }
        path = self.folder / "survey.yaml"
        path.write_text(yaml.safe_dump(definition), encoding="utf-8")
        self.cli("surveys", "load", str(path))
        links = self.folder / "links.csv"
        segment = self.planted.fields["customers.segment"]
        self.cli("surveys", "links", "--survey", SURVEY, "--segment", segment, "--out", str(links))
        with links.open(encoding="utf-8") as handle:
            urls = {row["customer_id"]: row["url"] for row in csv.DictReader(handle)}
        missing = set(SURVEY_CUSTOMERS) - set(urls)
        assert not missing, f"no signed link for {sorted(missing)}: {urls}"
        self.signed = [urlsplit(urls[customer]).path for customer in SURVEY_CUSTOMERS]
        self.planted.signed_path = self.signed[1]

    def answer_surveys(self, client: TestClient) -> None:
        answers = {
            f"/s/open/{SURVEY}": "survey_answers.anonymous_comment",
            self.signed[0]: "survey_answers.signed_comment",
        }
        for path, name in answers.items():
            page = client.get(path)
            assert page.status_code == 200, page.text
            nonce = re.search(r'name="nonce" value="([^"]+)"', page.text)
            assert nonce, f"no nonce on {path}"
            form = {"nonce": nonce.group(1), "nps": "0", "csat": "1", "ces": "1"}
            sent = client.post(path, data={**form, "comment": self(name)})
            assert sent.status_code == 200, sent.text

    def api_evidence(self, client: TestClient) -> None:
        t, unit, customer = self, self.planted.unit, CUSTOMER
        writes: dict[str, list[dict[str, Any]]] = {
            "responses": [
                {
                    "response_id": "planted-api-response",
                    "customer_id": customer,
                    "survey": t("responses.survey"),
                    "submitted_at": self.when(1),
                    "channel": t("responses.channel"),
                    "touchpoint": t("responses.touchpoint"),
                    "journey_stage": "serve",
                    "unit": unit,
                    "employee_id": EMPLOYEE,
                    "nps": 0,
                    "csat": 1,
                    "ces": 1,
                    "comment": t("responses.comment"),
                }
            ],
            "mentions": [
                {
                    "mention_id": "planted-mention",
                    "platform": t("mentions.platform"),
                    "author": t("mentions.author"),
                    "customer_id": customer,
                    "posted_at": self.when(2),
                    "text": t("mentions.text"),
                    "rating": 1,
                    "url": t("mentions.url"),
                    "unit": unit,
                    "brand": t("mentions.brand"),
                }
            ],
            "notes": [
                {
                    "note_id": "planted-note",
                    "customer_id": customer,
                    "taken_at": self.when(3),
                    "interviewer": t("notes.interviewer"),
                    "text": t("notes.text"),
                }
            ],
            "interactions": [
                {
                    "interaction_id": "planted-api-interaction",
                    "customer_id": customer,
                    "occurred_at": self.when(4),
                    "channel": t("interactions.channel"),
                    "touchpoint": t("interactions.touchpoint"),
                    "unit": unit,
                    "employee_id": EMPLOYEE,
                    "outcome": t("interactions.outcome"),
                }
            ],
            "referrals": [
                {
                    "referral_id": "planted-referral",
                    "referrer_id": customer,
                    "referred_contact": t("referrals.referred_contact"),
                    "referred_at": self.when(30),
                    "code": t("referrals.code"),
                    "channel": t("referrals.channel"),
                }
            ],
            "transactions": [
                {
                    "transaction_id": "planted-transaction",
                    "customer_id": customer,
                    "occurred_at": self.when(5),
                    "amount": 12.5,
                    "currency": t("transactions.currency"),
                }
            ],
        }
        for kind, records in writes.items():
            self.api(client, "POST", f"/api/v1/{kind}", records)

    def file_evidence(self) -> None:
        t, unit = self, self.planted.unit
        response = {
            "response_id": "planted-file-response",
            "customer_id": CUSTOMER,
            "survey": t("responses.survey"),
            "submitted_at": self.when(6),
            "channel": t("responses.channel"),
            "touchpoint": t("responses.touchpoint"),
            "journey_stage": "solve",
            "unit": unit,
            "employee_id": EMPLOYEE,
            "nps": "3",
            "comment": t("responses.comment"),
            "Rating": "2",
        }
        item = {"item": t("response_items.item"), "dimension": t("response_items.dimension")}
        rating = {**item, "kind": "rating", "scale_min": 1, "scale_max": 5}
        self.import_file("responses", [response], {"items": {"Rating": rating}})
        interaction = {
            "interaction_id": "planted-file-interaction",
            "customer_id": CUSTOMER,
            "occurred_at": self.when(7),
            "channel": t("interactions.channel"),
            "touchpoint": t("interactions.touchpoint"),
            "unit": unit,
            "employee_id": EMPLOYEE,
            "outcome": t("interactions.outcome"),
        }
        self.import_file("interactions", [interaction])
        culture_item = t("employee_response_items.item")
        answer = {
            "employee_response_id": "planted-employee-response",
            "unit": unit,
            "submitted_at": self.when(8),
            "enps": "2",
            "comment": t("employee_responses.comment"),
            "Now": "2",
            "Wanted": "5",
        }
        culture = {
            "Now": {"item": culture_item, "kind": "current", "scale_min": 1, "scale_max": 5},
            "Wanted": {"item": culture_item, "kind": "desired", "scale_min": 1, "scale_max": 5},
        }
        self.import_file("employee-responses", [answer], {"items": culture})
        target = {
            "target_id": "planted-target",
            "metric": "nps",
            "scope": t("targets.scope"),
            "desired_value": "50",
        }
        self.import_file("targets", [target])

    def themes(self) -> None:
        t = self
        self.cli("text", "analyze")
        taxonomy = self.folder / "taxonomy.yaml"
        theme = {
            "name": t("themes.name"),
            "description": t("themes.description"),
            "keywords": [t("themes.keyword")],
            "examples": [self.planted.fields["responses.comment"]],
        }
        taxonomy.write_text(yaml.safe_dump({"themes": [theme]}), encoding="utf-8")
        promoted = t("themes.promoted_name")
        if promoted == theme["name"]:  # theme names are unique
            promoted = self.planted.fields["themes.promoted_name"] = f"{promoted} (2)"
        self.cli(
            "text", "promote-theme", PROMOTED_THEME, "--taxonomy", str(taxonomy), "--name", promoted
        )  # fmt: skip
        self.cli("text", "assign-themes", "--taxonomy", str(taxonomy))

    def cases(self) -> None:
        t = self
        with advocacy.open(self.planted.url) as ws:
            answered = ws.db.fetchall(
                "SELECT case_id FROM cases WHERE evidence_id = 'planted-api-response'"
            )
            anonymous = ws.db.fetchall(
                "SELECT c.case_id FROM cases c JOIN responses r ON r.response_id = c.evidence_id "
                "WHERE r.survey = ? AND r.customer_id IS NULL",
                [SURVEY],
            )
        assert answered, "the planted detractor answer opened no case"
        assert anonymous, "the anonymous survey answer opened no case"
        case = self.planted.case_id = answered[0][0]
        self.planted.open_case_id = anonymous[0][0]
        self.cli("cases", "contact", case, "--text", t("case_events.contact"))
        self.cli("cases", "note", case, "--text", t("case_events.note"))
        owner = t.owner("cases.owner")
        _, refusal = self.cli(
            "cases", "assign", case, "--owner", owner, "--text", t("case_events.assign"),
            refusable=True,
        )  # fmt: skip
        if refusal is not None:
            self.refuse("cases.owner", refusal.message)
            self.refuse("case_events.assign", refusal.message)
        self.cli(
            "cases", "close", case, "--root-cause", t("cases.root_cause"),
            "--action-taken", t("cases.action_taken"), "--text", t("case_events.close"),
        )  # fmt: skip
        self.cli("cases", "note", self.planted.open_case_id, "--text", t("case_events.open_note"))

    def plans(self, client: TestClient) -> None:
        t = self
        gaps = json.loads(self.cli("plans", "gap-suggestions", "--format", "json")[0])
        assert gaps, "the workspace has no gap to plan against"
        args = ["plans", "add", "--link", f"gap:{gaps[0]['gap_id']}", "--title", t("plans.title")]
        owner = t("plans.owner")
        out, refusal = self.cli(*args, "--owner", owner, "--format", "json", refusable=True)
        if refusal is not None:
            self.refuse("plans.owner", refusal.message)
            out, _ = self.cli(*args, "--format", "json")
        self.planted.plan_ids.append(json.loads(out)["plan_id"])
        body = {
            "link": f"driver:{t('plans.driver')}",
            "metric": "nps",
            "title": t("plans.api_title"),
            "description": t("plans.description"),
            "owner": self.planted.fields.get("plans.owner"),
            "metric_filter": {"unit": self.planted.unit},
        }
        created = client.post("/api/v1/plans", json=body, headers=self.bearer)
        if created.status_code == 422 and body["owner"] is not None:
            body["owner"] = None
            created = client.post("/api/v1/plans", json=body, headers=self.bearer)
        assert created.status_code in (200, 201), created.text
        self.planted.plan_ids.append(created.json()["plan"]["plan_id"])

    def access(self, client: TestClient) -> None:
        t = self
        self.cli(
            "access", "add-user", "planted-handler", "--role", "case-handler",
            "--units", t("users.units"), "--password", "planted password 123",
        )  # fmt: skip
        self.cli(
            "access", "create-token", "--role", "case-handler", "--name", t("tokens.name"),
            "--units", t("tokens.units"), "--format", "json",
        )  # fmt: skip
        self.api(client, "POST", "/api/v1/tokens", {"role": "viewer", "name": t("tokens.api_name")})


def plant(url: str, text: Text, *, folder: Path) -> Planted:
    """Write ``text`` into every reachable text field of the workspace at ``url``.

    Parameters
    ----------
    url
        A workspace with evidence to plant among (the demo at any size: it needs a gap to plan
        against and discovered themes). Nothing may hold it open.
    text
        What to write: one string for every field, or a function of the field's name.
    folder
        Where the files imported (CSV, mappings, rules, survey, taxonomy) are written.

    Returns
    -------
    Planted
        The ids of the planted records, each field written with its text, and the fields the
        product refused.
    """
    folder.mkdir(parents=True, exist_ok=True)
    planter = _Planter(url, text, folder)
    token = planter.cli(
        "access", "create-token", "--role", "admin", "--name", "planter", "--format=json"
    )
    created = json.loads(token[0])
    planter.bearer = {"Authorization": f"Bearer {created['token']}"}
    planter.people()
    planter.rules()
    planter.survey()
    with TestClient(create_app(url), base_url="https://testserver") as client:
        planter.api_evidence(client)
        planter.answer_surveys(client)
    planter.file_evidence()
    planter.themes()
    planter.cases()
    with TestClient(create_app(url), base_url="https://testserver") as client:
        planter.plans(client)
        planter.access(client)
    return planter.planted
