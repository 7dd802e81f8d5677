"""Listeners' pages in a real browser: readable, accessible, self-contained."""

import pytest

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser


def test_public_pages_are_accessible_and_ask_no_third_party(new_page):
    page = new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)
    screenshot(page, "hub-home")

    page.get_by_role("link", name="Trauercafé Hamburg").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    screenshot(page, "group-page")


def test_login_page_is_accessible_in_english(new_page):
    page = new_page(locale="en-GB")
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    screenshot(page, "login-en")
