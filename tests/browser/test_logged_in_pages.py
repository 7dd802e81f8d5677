"""Every page behind the login, found by following its links as a member and
as an administrator: no WCAG 2.1 A/AA violation (axe-core), no sideways
scrolling on a 390 px phone, and a link to the help page on each."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.example.org"
MEMBER = "sonnenblume@demo.example.org"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: Pages for logged-in people (the public site is checked elsewhere).
LOGGED_IN = re.compile(
    r"^/(my|help|review(/.*)?|account(/password|/delete)?|admin/.*"
    r"|episodes/\d+(/edit|/delete)?|posts/\d+(/edit|/delete)?"
    r"|groups/[^/]+/(manage|episodes/new|posts/new|feed-tokens/\d+/revoke))$"
)
FILE = re.compile(r"\.(csv|json|mp3|vtt|srt|xml)$")
#: One page of each kind is enough (the demo has several episodes alike).
KIND = re.compile(r"\d+")
START = ["/my", "/account", "/help"]
MAX_PAGES = 60
VISITS_PER_KIND = 4

NO_SIDEWAYS_SCROLL = """() => {
  const doc = document.documentElement;
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const r = el.getBoundingClientRect();
    return r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== "fixed"
      && !el.closest(".scroll-x");
  }).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
           + (el.className && typeof el.className === "string" ? "." + el.className : ""));
  return {scroll: doc.scrollWidth - doc.clientWidth, wide: wide.slice(0, 5)};
}"""


def _links(page) -> list[str]:
    # Files to download (CSV of the statistics, audio) are not pages.
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    origin = urlsplit(page.url)[:2]
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts[:2] == origin and LOGGED_IN.match(parts.path) and not FILE.search(parts.path):
            out.append(parts.path)
    return out


def _crawl(page, start: list[str]) -> list[str]:
    """The first page of each kind, to check; a few more of each kind are
    visited for their links (a published episode has no edit link, a draft
    has)."""
    visits: dict[str, int] = {}
    queue, pages, seen = list(start), [], set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        kind = KIND.sub("N", path)
        if path in seen or visits.get(kind, 0) >= VISITS_PER_KIND:
            continue
        seen.add(path)
        visits[kind] = visits.get(kind, 0) + 1
        resp = page.goto(path)
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        if visits[kind] == 1:
            pages.append(path)
        queue.extend(_links(page))
    return pages


@pytest.mark.parametrize("who", [MEMBER, ADMIN])
def test_every_logged_in_page_is_accessible_and_fits_a_phone(new_page, who):
    page = new_page()
    log_in(page, who)
    page.set_viewport_size(PHONE)
    pages = _crawl(page, START + (["/admin/", "/review"] if who == ADMIN else []))
    kinds = {KIND.sub("N", p) for p in pages}
    # The sweep really went everywhere a person of this role goes.
    expected = {"/my", "/account", "/help"}
    if who == MEMBER:  # the items' pages and forms (an administrator sees the same)
        expected |= {"/episodes/N", "/posts/N"}
        forms = {k for k in kinds if k.endswith(("/episodes/new", "/posts/new"))}
        assert len(forms) >= 2, sorted(kinds)  # the edit form is the same template
    if who == ADMIN:
        expected |= {"/admin/people", "/admin/groups", "/admin/texts", "/admin/health"}
        expected |= {"/review", "/groups/trauer-hamburg/manage"}
    assert expected <= kinds, (sorted(expected - kinds), sorted(kinds))

    problems = {}
    for path in pages:
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.goto(path)
            assert page.locator("header a[href='/help']").count() == 1, path
            fit = page.evaluate(NO_SIDEWAYS_SCROLL)
            if size is PHONE and (fit["scroll"] > 0 or fit["wide"]):
                problems[path] = fit
            assert_accessible(page)
    assert not problems, problems


def test_form_errors_are_accessible_on_a_phone(new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, MEMBER)
    page.goto("/groups/trauer-hamburg/episodes/new")
    page.locator("#episode-form").get_by_role("button", name="Speichern").click()
    page.get_by_text("Bitte").first.wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)["scroll"] == 0
    assert_accessible(page)
