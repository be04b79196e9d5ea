"""Every page each role reaches, on a desk (1440×900) and on a phone (390×844), in a real browser on the
demo's year in progress as `make run` shows it on DEMO_TODAY (issue 22 point 2). On every page:

- nothing is wider than the window outside a box that scrolls (a table scrolls inside its card);
- no character is drawn as a missing-glyph box (tofu);
- on the phone: the menu is folded behind 菜单 and opens; every link, button and field is at least
  44 px each way; no table is wider than the screen unless it scrolls within its card, first column held.

Screenshots of the documented pages go to QJ_SCREENSHOTS_DIR when it is set (`QJ_SCREENSHOTS_DIR=
docs/screenshots` refreshes docs/screenshots/day-*.png, linked from the README), else to pytest's
temporary directory; the others always go there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reporting.models import Submission
from tests.conftest import TOWNSHIP_A
from tests.dashboard.test_browser import _sign_in
from tests.dashboard.test_current_year_browser import NO_TOFU
from tests.entry.test_browser import _db

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

JOBS = "employment.urban_new_jobs"
WIDTHS = {"desk": (1440, 900), "phone": (390, 844)}
MAX_BYTES = 700_000  # a heavier page is clipped to its first two screens
# Pages whose screenshots document the issue (docs/screenshots/day-<role>-<page>-<width>.png).
DOCUMENTED = {
    ("leader", "landing"), ("leader", "cockpit"), ("leader", "warnings"), ("leader", "scorecard"),
    ("leader", "indicator"), ("leader", "township"), ("leader", "menu"),
    ("township", "reporting"), ("township", "township"), ("bureau", "review"), ("bureau", "status"),
    ("bureau", "overview"), ("bureau", "loans"),
}  # fmt: skip

# Whatever sticks out of the window, unless a box that scrolls (or clips) holds it.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let held = false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) { held = true; break; }
    }
    if (!held) out.push(`${e.tagName.toLowerCase()}.${e.className} right=${Math.round(r.right)}`);
  }
  return [document.documentElement.scrollWidth, out.slice(0, 5)];
}"""
# Every visible thing to tap: its size, and where it is.
TARGETS = """() => [...document.querySelectorAll(
    'header a, header button, header summary, header label.nav-toggle-label, main a, main button, ' +
    'main select, main input:not([type=hidden]), main summary, main textarea')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName.toLowerCase() + ' ' + (e.innerText || e.name || e.type || '').trim().slice(0, 20),
                      Math.round(r.width), Math.round(r.height)]; })
  .filter(([, w, h]) => w < 44 || h < 44)"""


def _pages(role: str, ids: dict) -> list[tuple[str, str]]:
    city_viewer = [
        ("landing", "/"),
        ("cockpit", "/dashboard/"),
        ("township", f"/dashboard/townships/{TOWNSHIP_A}/"),
        ("indicator", f"/dashboard/indicators/{JOBS}/"),
        ("warnings", "/dashboard/warnings/"),
        ("scorecard", "/dashboard/scorecard/"),
        ("report", "/dashboard/report/"),
        ("status", "/reporting/status/"),
    ]
    own = [("notices", "/notices/"), ("password", "/accounts/password_change/")]
    if role == "leader":
        return city_viewer + own
    if role == "bureau":
        review = ("review", f"/reporting/submissions/{ids['pending']}/")
        return [*city_viewer, ("reporting", "/reporting/"), review, *own]
    return [
        ("landing", "/"),
        ("township", "/dashboard/"),  # a township user lands on its own township's page
        ("indicator", f"/dashboard/indicators/{JOBS}/?org={TOWNSHIP_A}"),
        ("warnings", f"/dashboard/warnings/?org={TOWNSHIP_A}"),
        ("reporting", "/reporting/"),
        ("submission", f"/reporting/submissions/{ids['own']}/"),
        *own,
    ]


# The bureau's admin pages: a desk's (the bureau works at one), checked for width and tofu at 1440 px.
ADMIN_PAGES = [
    ("admin", "/admin/"),
    ("overview", "/admin/entry/overview/"),
    ("sheet", "/admin/entry/sheet/?org=429005"),
    ("loans", "/admin/employment/guaranteeloan/"),
]
# The overview's indicator headers read across, whole (they were vertical and cut, issue 22 point 15).
HEADERS_WHOLE = """() => [...document.querySelectorAll('#overview thead th.ind div')]
  .filter(d => getComputedStyle(d).writingMode !== 'horizontal-tb' || d.scrollHeight > d.clientHeight + 1
               || d.scrollWidth > d.clientWidth + 1)
  .map(d => d.innerText)"""


def _ids() -> dict:
    sent = Submission.objects.exclude(status__in=("draft", "superseded"))
    return {
        "pending": sent.filter(status="pending").order_by("township__sort_order").first().pk,
        "own": sent.filter(township__code=TOWNSHIP_A).order_by("-version").first().pk,
    }


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path


def _shoot(page, role: str, name: str, width_name: str, tmp: Path) -> None:
    documented = os.environ.get("QJ_SCREENSHOTS_DIR") and (role, name) in DOCUMENTED
    target = Path(os.environ["QJ_SCREENSHOTS_DIR"]) if documented else tmp
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"day-{role}-{name}-{width_name}.png"
    page.screenshot(path=path, full_page=True)
    if path.stat().st_size > MAX_BYTES:
        width, height = WIDTHS[width_name]
        page.screenshot(
            path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height * 2}
        )
    assert path.stat().st_size > 5_000, path


def _check(page, url: str, where: str, phone: bool) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "/dashboard/indicators/" in url:
        page.wait_for_selector("body[data-charts-ready='1']")
    width, offenders = page.evaluate(OVERFLOW)
    assert not offenders and width <= page.viewport_size["width"], (where, width, offenders)
    text = page.evaluate("document.body.innerText")
    assert page.evaluate(NO_TOFU, "".join(sorted(set(text)))) == [], where
    assert "悬停" not in text, where  # nothing is readable only by hovering
    if phone:
        assert not page.locator("nav[aria-label='主菜单']").is_visible(), where  # folded
        assert page.locator("label.nav-toggle-label").is_visible(), where
        small = page.evaluate(TARGETS)
        assert not small, (where, small[:5])


def _walk(browser, base: str, role: str, username: str, tmp: Path) -> None:
    ids = _db(_ids)
    for width_name, (width, height) in WIDTHS.items():
        phone = width_name == "phone"
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=phone, has_touch=phone
        )
        page = context.new_page()
        _sign_in(page, base, username)
        for name, path in _pages(role, ids):
            _check(page, base + path, f"{role} {name} {width_name}", phone)
            _shoot(page, role, name, width_name, tmp)
        if phone:
            _open_the_menu(page, role, tmp)
        elif role == "bureau":
            for name, path in ADMIN_PAGES:
                _check(page, base + path, f"bureau {name} desk", phone=False)
                _shoot(page, role, name, width_name, tmp)
                if name == "overview":
                    assert page.evaluate(HEADERS_WHOLE) == []
        context.close()


def _open_the_menu(page, role: str, tmp: Path) -> None:
    page.click("label.nav-toggle-label")
    nav = page.locator("nav[aria-label='主菜单']")
    assert nav.is_visible()
    page.click("nav[aria-label='主菜单'] summary")  # the person's own menu: 修改密码, 退出登录
    small = page.evaluate(TARGETS)
    links = nav.locator("a:visible")
    assert links.count() >= 5 and not small, small
    _shoot(page, role, "menu", "phone", tmp)


def test_a_leader_reads_every_page_on_a_desk_and_on_a_phone(
    live_server, demo_current_year, leader_user, folder, browser
):
    _walk(browser, live_server.url, "leader", "leader", folder)


def test_a_township_clerk_uses_every_page_on_a_desk_and_on_a_phone(
    live_server, demo_current_year, township_a_user, folder, browser
):
    _walk(browser, live_server.url, "township", "town_a", folder)


def test_bureau_staff_use_every_portal_page_on_a_desk_and_on_a_phone(
    live_server, demo_current_year, bureau_user, folder, browser
):
    _walk(browser, live_server.url, "bureau", "bureau", folder)
