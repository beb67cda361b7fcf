"""On a 375 px phone every column of a round's tables is read without scrolling
sideways: the organiser's commitments (open and after the close), who invested,
and the investor's portfolio (commitments and investments) show each row as a
labelled block, the labels in the page's language; the close form and the
follow-up reports fit too (docs/phone-and-print.md). axe checks every page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone
from tests.browser.test_close_browser import _open_round_with_a_commitment
from tests.browser.test_confirm_steps import _login

pytestmark = pytest.mark.browser

ORGANISER = "arrangor@demo.banofoten.no"
INVESTOR = "investor@demo.banofoten.no"
CONDITIONS = "Forutsetter styreplass og at kommunen går inn med tilskudd til kaianlegget"

LABELS = {
    "nb": {
        "commitments": ["Beløp", "Betingelser", "Vil lede", "Navn vist til gründeren", "Status"],
        "portfolio": [
            "Beløp",
            "Vil lede",
            "Navn vist til gründeren",
            "Runde",
            "Sluttdato",
            "Du investerte",
        ],
        "investments": ["Beløp", "Finansiert", "Instrument"],
        "standing": "Stod da runden ble avsluttet",
    },
    "en": {
        "commitments": ["Amount", "Conditions", "Would lead", "Named to the founder", "Status"],
        "portfolio": [
            "Amount",
            "Would lead",
            "Named to the founder",
            "Round",
            "Closing date",
            "You invested",
        ],
        "investments": ["Amount", "Funded", "Instrument"],
        "standing": "Standing when the round closed",
    },
}

#: Each body row's cells: where they are on the screen, their label and text,
#: and whether the table's box scrolls sideways.
ROWS = """table => {
  const box = table.closest('.table-responsive') || table;
  return {
    scrolls: box.scrollWidth > box.clientWidth + 1,
    rows: Array.from(table.tBodies[0].rows, tr => Array.from(tr.cells, cell => {
      const r = cell.getBoundingClientRect();
      return {left: r.left, right: r.right, width: r.width,
              label: cell.getAttribute('data-label'), text: cell.innerText.trim()};
    })),
  };
}"""


def _check_table(page: Any, table: Any, labels: list[str] | None) -> list[list[dict[str, Any]]]:
    """Every cell of the table, the last column's included, lies inside the
    375 px screen, the table's box does not scroll, and the cells after the
    row header carry ``labels``. Returns the rows' cells."""
    found = table.evaluate(ROWS)
    assert not found["scrolls"], "the table scrolls sideways inside its box"
    assert found["rows"], "the table has rows"
    for cells in found["rows"]:
        last = cells[-1]
        assert last["width"] > 0, f"the last column is hidden: {cells}"
        for cell in cells:
            where = (
                f"{cell['text']!r} is at {cell['left']:.0f}–{cell['right']:.0f} px "
                f"on a {PHONE['width']} px screen"
            )
            assert cell["left"] >= 0, where
            assert cell["right"] <= PHONE["width"], where
        if labels is not None:
            assert [c["label"] for c in cells[1:]] == labels
    assert_fits_phone(page)
    return found["rows"]


def _table_roles(page: Any) -> list[tuple[str, str]]:
    """The table roles in chromium's own accessibility tree (what a screen
    reader is given), with their names."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    wanted = {"table", "row", "columnheader", "rowheader", "cell"}
    return [
        (n["role"]["value"], n.get("name", {}).get("value", ""))
        for n in nodes
        if not n.get("ignored") and n["role"]["value"] in wanted
    ]


def _give_conditions_and_close(app: Any, proposal_id: int) -> None:
    """The demo investor's commitment gets conditions, offers to lead and is
    named to the founder (the widest row)."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal
    from matchmaking.rounds import services

    with app.test_request_context():
        investor = db.session.scalar(select(User).where(User.email == INVESTOR))
        proposal = db.session.get(Proposal, proposal_id)
        round_ = services.open_round(proposal)
        mine = services.commitment_of(round_, investor)
        services.commit(
            proposal,
            investor,
            amount=mine.amount,
            conditions=CONDITIONS,
            would_lead=True,
            named_to_founder=True,
        )
        db.session.commit()
        db.session.remove()


def _close_as_funded(app: Any, proposal_id: int) -> None:
    """The organiser records the round as funded, the demo investor investing
    their commitment."""
    from matchmaking.accounts.models import User
    from matchmaking.dates import oslo_today
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal
    from matchmaking.rounds import services
    from matchmaking.rounds.close.services import Invested, close_funded

    with app.test_request_context():
        organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
        investor = db.session.scalar(select(User).where(User.email == INVESTOR))
        round_ = services.open_round(db.session.get(Proposal, proposal_id))
        mine = services.commitment_of(round_, investor)
        close_funded(
            round_,
            organiser,
            raised=mine.amount + 1_000_000,
            funded_on=oslo_today(),
            instrument=round_.instrument,
            pre_money=None,
            investments=[Invested(amount=mine.amount, investor_id=investor.id)],
            today=oslo_today(),
        )
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_column_of_the_round_tables_is_read_on_a_phone(
    page: Any, live_server: LiveServer, lang: str
) -> None:
    labels = LABELS[lang]
    proposal_id, _title, _raised = _open_round_with_a_commitment(live_server.app)
    _give_conditions_and_close(live_server.app, proposal_id)
    page.set_viewport_size(PHONE)
    _login(page, ORGANISER, lang)

    # The organiser's list of commitments while the round is open.
    page.visit(f"/proposals/{proposal_id}/round")
    commitments = page.locator("section[aria-labelledby='commitments-heading'] table")
    rows = _check_table(page, commitments, labels["commitments"])
    assert any(CONDITIONS in cell["text"] for cells in rows for cell in cells)
    # Stacked on the screen, it is still a table to a screen reader.
    roles = _table_roles(page)
    for header in labels["commitments"]:
        assert ("columnheader", header) in roles, roles
    assert ("rowheader", "Ola Investor") in roles, roles

    # The close form: each investor's amount field lies on the screen.
    page.visit(f"/proposals/{proposal_id}/round/close")
    assert_fits_phone(page)
    for box in page.locator("form input:not([type=hidden]), form select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])"
    ):
        assert box[0] >= 0, box
        assert box[1] <= PHONE["width"], box

    # After the close: the commitments as they stood, and who invested.
    _close_as_funded(live_server.app, proposal_id)
    page.visit(f"/proposals/{proposal_id}/round")
    rows = _check_table(page, commitments, labels["commitments"])
    assert rows[0][-1]["text"] == labels["standing"]
    _check_table(page, page.locator("section[aria-labelledby='outcome-heading'] table"), None)

    # The follow-up reports of the funded proposal.
    page.visit(f"/proposals/{proposal_id}/results")
    assert_fits_phone(page)

    # The investor's portfolio: their commitments and the investment.
    page.context.clear_cookies()
    _login(page, INVESTOR, lang)
    page.visit("/investor/portfolio")
    _check_table(
        page,
        page.locator("section[aria-labelledby='commitments-heading'] table"),
        labels["portfolio"],
    )
    _check_table(
        page,
        page.locator("section[aria-labelledby='investments-heading'] table"),
        labels["investments"],
    )
    assert page.console_errors == []
