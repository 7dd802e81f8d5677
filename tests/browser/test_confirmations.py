"""Confirmations appear where the person is looking: after a form far down
the manage page, the message sits under that form's heading, in view, and
has the focus (so a screen reader reads it at once)."""

from __future__ import annotations

import pytest

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MANAGER = "mira@demo.example.org"


def _in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        """el => { const r = el.getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight; }""",
    )


@pytest.mark.parametrize("size", SIZES)
def test_an_invitation_is_confirmed_under_the_invitation_form(new_page, size):
    page = new_page()
    page.set_viewport_size(SIZES[size])
    log_in(page, MANAGER)
    page.goto("/groups/trauer-hamburg/manage")
    form = page.locator("form", has=page.get_by_role("button", name="Einladung senden"))
    form.get_by_label("E-Mail-Adresse").fill(f"neu-{size}@example.org")
    form.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()

    assert page.url.endswith("#invite-h")
    flashes = page.locator("main .flashes")
    assert f"neu-{size}@example.org" in flashes.inner_text()
    # Right under the section's heading, not at the top of the page …
    assert page.eval_on_selector(
        "#invite-h", "h => h.nextElementSibling && h.nextElementSibling.matches('.flashes')"
    )
    # … in view, and focused.
    page.wait_for_function("() => document.activeElement.matches('main .flashes')")
    assert _in_view(page, "main .flashes")
    assert_accessible(page)


def test_a_confirmation_without_a_section_stays_at_the_top_and_is_read(new_page):
    page = new_page()
    log_in(page, MANAGER)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()
    flashes = page.locator("main .flashes")
    assert "Sie sind abgemeldet." in flashes.inner_text()
    assert page.eval_on_selector("main .flashes", "f => f.parentElement.id") == "main"
    page.wait_for_function("() => document.activeElement.matches('main .flashes')")
    assert _in_view(page, "main .flashes")
