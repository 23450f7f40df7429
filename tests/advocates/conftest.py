"""A small, hand-written workspace whose ladder, say-do gap and referrals we can work out by hand.

As of 2026-06-30, with a 365-day ladder window and a 90-day say-do window:

- A said 10 (2026-01-10) and referred R1 (2026-02-01), who bought -> champion; A bought monthly
  in early 2025 and then stopped -> at risk (purchase lapse).
- B said 9 (2026-01-15) and posted a 5-star review (2026-03-01) -> advocate.
- C said 10 (2026-01-20) and did nothing -> promoter, a silent promoter.
- D said 8 (2026-02-01) -> passive; D once "referred" their own e-mail (self-referral).
- E said 9 (2025-12-01) then 3 (2026-03-01) -> detractor, at risk (NPS fell from 9 to 3).
- F said 10 (2026-02-10) and referred a contact 130 days later who became customer N.
- G referred with a code that is N2's referral code (2025-05-01, outside the window).
- H said 10 in 2024 (outside the window) and sent five referrals within two hours in 2024.
- A and B both referred shared@example.com in 2025 (shared contact details).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy

CUSTOMERS = """customer_id,name,email,segment,referral_code
A,Ada,a@example.com,household,
B,Ben,b@example.com,household,
C,Cy,c@example.com,business,
D,Dee,d@example.com,business,
E,Eve,e@example.com,household,
F,Fay,f@example.com,household,
G,Gus,g@example.com,household,
H,Hal,h@example.com,household,
R1,Rae,r1@example.com,household,
N,Ned,newbie@example.com,household,
N2,Nia,n2@example.com,household,GIFT-N2
"""

RESPONSES = """response_id,customer_id,submitted_at,unit,nps
1,A,2026-01-10T10:00:00Z,North,10
2,B,2026-01-15T10:00:00Z,North,9
3,C,2026-01-20T10:00:00Z,South,10
4,D,2026-02-01T10:00:00Z,South,8
5,E,2025-12-01T10:00:00Z,South,9
6,E,2026-03-01T10:00:00Z,South,3
7,F,2026-02-10T10:00:00Z,North,10
8,H,2024-01-01T10:00:00Z,North,10
"""

REFERRALS = (
    (
        "referral_id,referrer_id,referred_customer_id,referred_contact,referred_at,code,"
        "converted_at,first_order_value\n"
    )
    + """F1,A,R1,,2026-02-01T10:00:00Z,,2026-02-10T10:00:00Z,
F2,F,,newbie@example.com,2026-06-20T10:00:00Z,,,
F3,G,,,2025-05-01T10:00:00Z,GIFT-N2,,
F4,D,,D@Example.com ,2025-01-01T10:00:00Z,,,
F5,A,,shared@example.com,2025-03-02T10:00:00Z,,,
F6,B,,shared@example.com,2025-03-01T10:00:00Z,,,
F7,H,,h1@mail.example,2024-06-01T10:00:00Z,,,
F8,H,,h2@mail.example,2024-06-01T10:20:00Z,,,
F9,H,,h3@mail.example,2024-06-01T10:40:00Z,,,
F10,H,,h4@mail.example,2024-06-01T11:00:00Z,,,
F11,H,,h5@mail.example,2024-06-01T11:30:00Z,,,
"""
)

MENTIONS = """mention_id,platform,customer_id,posted_at,text,rating
M1,google,B,2026-03-01T10:00:00Z,Lovely shop,5
M2,google,G,2026-03-02T10:00:00Z,Never again,2
"""

TRANSACTIONS = """transaction_id,customer_id,occurred_at,amount
T1,R1,2026-02-10T10:00:00Z,50
T2,R1,2026-03-10T10:00:00Z,30
T3,N,2026-06-21T10:00:00Z,20
T4,N2,2025-05-10T10:00:00Z,40
T5,A,2025-01-01T10:00:00Z,100
T6,A,2025-02-01T10:00:00Z,100
T7,A,2025-03-01T10:00:00Z,100
"""

AS_OF = "2026-06-30"


@pytest.fixture
def story(db_url: str, tmp_path: Path) -> str:
    """The workspace URL, loaded with the story above."""
    files = {
        "customers": CUSTOMERS,
        "responses": RESPONSES,
        "transactions": TRANSACTIONS,
        "referrals": REFERRALS,
        "mentions": MENTIONS,
    }
    with advocacy.open(db_url) as ws:
        for kind, text in files.items():
            path = tmp_path / f"{kind}.csv"
            path.write_text(text, encoding="utf-8")
            result = ws.import_file(path, kind=kind)
            assert result.rows_quarantined == 0, kind
    return db_url
