"""The leadership pages on the demo's year in progress, in a real browser (Playwright driving Debian's
chromium), as `make run` shows them on DEMO_TODAY (2026-12-02: January to November, November's reports
half in): the cockpit, the warnings, the scorecard and the month's reporting status. Every colour and
state on the page is checked against what the completion engine and the reporting workflow stored,
never against names written here.

Each page is saved as a full-page screenshot, 1440 px wide: into QJ_SCREENSHOTS_DIR when it is set
(`QJ_SCREENSHOTS_DIR=docs/screenshots` refreshes the ones committed, docs/screenshots/current-year-*.png),
else into pytest's temporary directory, so that a CI run never writes into the repository."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from completion.models import Completion, Status
from demo import current_year as CY
from notices.selectors import reminder_records
from orgs.models import OrgUnit
from reporting.models import Submission
from tests.dashboard.test_browser import _sign_in, browser  # noqa: F401 (the browser tests' fixture)
from tests.entry.test_browser import _db

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

YEAR, DUE = 2026, 11
CITY = "429005"
WIDTH = 1440
MAX_BYTES = 1_500_000  # a bigger page is clipped to its first two screens
RED, AMBER = "rgb(192, 57, 43)", "rgb(183, 121, 31)"  # --red and --amber of static/css/portal.css


@pytest.fixture
def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("QJ_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _screenshot(page, folder: Path, name: str) -> Path:
    """The whole page, or its first two screens when the whole page would make a heavy PNG."""
    path = folder / f"current-year-{name}.png"
    page.screenshot(path=path, full_page=True)
    if path.stat().st_size > MAX_BYTES:
        height = page.viewport_size["height"] * 2
        page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    assert 10_000 < path.stat().st_size <= MAX_BYTES, path
    return path


def _stored_statuses() -> dict[tuple[str, str], str]:
    """(org code, indicator code) -> the status the engine stored for November."""
    rows = Completion.objects.filter(year=YEAR, month=DUE, indicator__is_active=True).values_list(
        "org_unit__code", "indicator__code", "status"
    )
    return {(org, code): status for org, code, status in rows}


def _page(chromium, base: str, username: str):
    page = chromium.new_page(viewport={"width": WIDTH, "height": 900}, locale="zh-CN")
    _sign_in(page, base, username)
    return page


# Each character drawn in the page's font differs from a private-use one (which no font has, so it is
# drawn as the missing-glyph box): no tofu.
NO_TOFU = """text => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 40;
    const g = canvas.getContext('2d');
    g.font = '32px ' + getComputedStyle(document.body).fontFamily;
    const drawn = ch => { g.clearRect(0, 0, 40, 40); g.fillText(ch, 2, 34);
                          return g.getImageData(0, 0, 40, 40).data.join(); };
    const tofu = drawn('\\uE000');
    return [...text].filter(ch => ch.trim() && drawn(ch) === tofu);
}"""


def _fonts_and_width_are_right(page) -> None:
    """Chinese is drawn in a CJK font (no tofu boxes) and nothing pushes the page sideways."""
    heading = page.locator("h1").inner_text()
    assert page.evaluate(NO_TOFU, heading) == [], heading
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_leader_reads_the_year_in_progress_on_the_cockpit_warnings_and_scorecard(
    live_server,
    demo_current_year,
    leader_user,
    screenshots,
    browser,  # noqa: F811
):
    stored = _db(_stored_statuses)
    city = {code: s for (org, code), s in stored.items() if org == CITY and s != Status.NO_QUOTA}
    assert {"far_behind", "behind"} <= set(city.values())  # the demo's story, as the engine saw it
    page = _page(browser, live_server.url, "leader")

    # The cockpit opens on the last month reported, without being asked for it.
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("h1").inner_text() == f"潜江市 {YEAR}年1-{DUE}月 人社主要指标完成情况"
    assert page.locator("form.period select[name=month]").input_value() == str(DUE)
    page.wait_for_function(  # every trend with figures is drawn (ECharts' svg in its box)
        "[...document.querySelectorAll('.spark[data-trend]')].every(e => "
        "!/[0-9]/.test(e.dataset.trend) || e.querySelector('svg path'))"
    )
    rows = page.eval_on_selector_all(
        "table.dashboard tbody tr[data-code]",
        """rows => rows.map(r => [r.dataset.code, r.className,
            getComputedStyle(r.querySelector('.badge')).color])""",
    )
    assert {code for code, _, _ in rows} == set(city)
    for code, classes, colour in rows:
        assert f"status-{city[code]}" in classes.split(), code
        assert colour == {"far_behind": RED, "behind": AMBER}.get(city[code], colour), code
    tiles = {t: page.locator(f".tile.{t} b").inner_text() for t in ("red", "amber")}
    assert tiles == {
        "red": str(list(city.values()).count("far_behind")),
        "amber": str(list(city.values()).count("behind")),
    }
    _fonts_and_width_are_right(page)
    _screenshot(page, screenshots, "cockpit")

    # The warnings: every cell the engine found behind, the far-behind townships the demo made among them.
    page.click("p.actions >> text=预警清单")
    page.wait_for_url(f"**/dashboard/warnings/?year={YEAR}&month={DUE}")
    # The list is paged (worst first across the pages): read every page by its 下一页 link.
    listed, text = [], ""
    while True:
        listed += page.eval_on_selector_all(
            "table.figures tbody tr",
            """rows => rows.map(r => [r.querySelector('td a').getAttribute('href').split('/')[3],
                r.querySelectorAll('td a')[1].getAttribute('href').split('/')[3], r.className,
                getComputedStyle(r.querySelector('.badge')).color])""",
        )
        text += page.locator("table.figures tbody").inner_text()
        following = page.locator("a", has_text="下一页")
        if not following.count():
            break
        following.first.click()
        page.wait_for_load_state()
    behind = {key: s for key, s in stored.items() if s in ("behind", "far_behind")}
    assert {(org, code): classes.removeprefix("status-") for org, code, classes, _ in listed} == behind
    assert len(listed) == len(behind)
    assert all(colour == RED for _, _, classes, colour in listed if classes == "status-far_behind")
    far_townships = {org for (org, _), s in behind.items() if s == "far_behind" and org != CITY}
    made = _db(_far_behind_roles)
    assert made and made <= far_townships  # the demo's far-behind townships are on the list
    names = _db(lambda: dict(OrgUnit.objects.filter(code__in=made).values_list("code", "name")))
    assert all(name in text for name in names.values())
    _fonts_and_width_are_right(page)
    _screenshot(page, screenshots, "warnings")

    # The scorecard: 23 townships and the city, every cell coloured by the engine's status.
    page.goto(f"{live_server.url}/dashboard/scorecard/")
    assert page.locator("h1").inner_text() == f"{YEAR}年1-{DUE}月 区镇街道人社主要指标考核排名表"
    assert page.locator("#scorecard tbody tr").count() == 23
    assert page.locator("#scorecard thead tr.city-row").get_attribute("data-org") == CITY
    cells = page.eval_on_selector_all(
        "#scorecard tr[data-org] td[data-status]",
        """cells => cells.map(c => [c.closest('tr').dataset.org, c.dataset.code, c.dataset.status,
            c.className, getComputedStyle(c).backgroundColor])""",
    )
    assert len({org for org, *_ in cells}) == 24
    backgrounds = {"far_behind": "rgb(248, 210, 208)", "behind": "rgb(255, 240, 194)"}
    seen = set()
    for org, code, status, classes, background in cells:
        expected = stored.get((org, code), Status.NO_DATA)  # no cell stored: no quota, no figures
        assert status == expected and f"sc-{expected}" in classes.split(), (org, code)
        if expected in backgrounds:
            assert background == backgrounds[expected], (org, code)
        seen.add(expected)
    assert {"far_behind", "behind", "ahead"} <= seen
    _fonts_and_width_are_right(page)
    _screenshot(page, screenshots, "scorecard")


def _far_behind_roles() -> set[str]:
    townships = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP))
    roles = CY.township_roles(CY.demo_year_for(date(2026, 12, 2)), townships)
    return {code for code, role in roles.items() if role == "far_behind"}


def _reports() -> dict[str, list[tuple[int, str, str]]]:
    """Township code -> its November versions (version, status, return reason), oldest first."""
    out: dict[str, list[tuple[int, str, str]]] = {
        code: [] for code in OrgUnit.objects.filter(level="township").values_list("code", flat=True)
    }
    for s in Submission.objects.filter(year=YEAR, month=DUE).order_by("version").select_related("township"):
        out[s.township.code].append((s.version, s.status, s.return_reason))
    return out


def _reminded() -> dict[str, int]:
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    return {codes[pk]: r.count for pk, r in reminder_records(year=YEAR, month=DUE).items()}


def test_bureau_sees_every_state_of_the_month_now_due(
    live_server,
    demo_current_year,
    bureau_user,
    screenshots,
    browser,  # noqa: F811
):
    reports, reminded = _db(_reports), _db(_reminded)
    page = _page(browser, live_server.url, "bureau")
    page.goto(f"{live_server.url}/reporting/status/")  # the default month: the one now due
    assert page.locator("h1").inner_text() == f"{YEAR}年{DUE}月 区镇街道月报报送情况"
    headers = page.locator("table.figures thead th").all_inner_texts()
    column = headers.index("催报")
    rows = page.eval_on_selector_all(
        "table.figures tbody tr[data-code]",
        "rows => rows.map(r => [r.dataset.code, r.className, [...r.cells].map(c => c.innerText)])",
    )
    assert len(rows) == 23
    states = set()
    for code, classes, cells in rows:
        versions, text = reports[code], " ".join(cells)
        latest = versions[-1] if versions else None
        if latest is None:
            state = "missing"
            assert classes == "report-missing" and "未报送" in text, code
        elif latest[1] == Submission.Status.RETURNED:
            state = "returned"
            assert classes == "report-returned" and "已退回待重报" in text and latest[2] in text, code
        else:
            label = {"approved": "已通过", "pending": "待审核"}[latest[1]]
            state = latest[1] if latest[0] == 1 else "v2"
            assert classes == f"report-{latest[1]}" and f"已报送·{label}" in text, code
            assert f"第{latest[0]}版 {label}" in text, code
        for version, status, _ in versions[:-1]:
            assert status == Submission.Status.SUPERSEDED and f"第{version}版已被新版本替代" in text, code
        count = reminded.get(code, 0)
        assert cells[column].startswith(f"已催报 {count} 次,最近 ") if count else cells[column] == "—", code
        states.add(state)
    assert states == {"missing", "returned", "approved", "pending", "v2"}
    assert any(reminded.values())
    _fonts_and_width_are_right(page)
    _screenshot(page, screenshots, "reporting-status")
