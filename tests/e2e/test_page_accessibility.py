"""Accessibility in a real browser: WCAG 2.1 AA contrast in the main states, names, keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from page_helpers import contrast_failures, open_page, option, settle, unnamed_controls


def test_text_contrast_meets_wcag_aa_in_the_main_states(
    browser: Any, server: str, shots: Path
) -> None:
    """Every visible text is at least 4.5:1 against its background (3:1 when large): at the
    start, with a withheld value and its reason shown, in the repair dialog, on a phone."""
    page = open_page(browser, server + "/#insole")
    assert contrast_failures(page) == [], "start"

    option(page, "use", "diabetic_care").click()
    settle(page)
    firm = option(page, "stiffness", "firm")
    assert firm.get_attribute("aria-disabled") == "true"
    firm.hover()
    page.locator("#reason-stiffness").wait_for(state="visible")
    assert contrast_failures(page) == [], "withheld value with its reason"

    firm.focus()
    page.keyboard.press("Enter")
    page.locator("#repair").wait_for(state="visible")
    assert contrast_failures(page) == [], "repair dialog"
    page.keyboard.press("Escape")
    page.close()

    phone = open_page(browser, server + "/#insole?use=diabetic_care", width=390, height=844)
    assert contrast_failures(phone) == [], "phone"
    phone.screenshot(path=str(shots / "13-phone-withheld.png"), full_page=True)
    phone.close()


def test_every_control_has_an_accessible_name(browser: Any, server: str) -> None:
    """Chromium's accessibility tree names every button, field, slider, checkbox and the
    preview image, on the insole (numbers, options) and on the wardrobe (modules)."""
    for url in ("/#insole?use=running", "/#wardrobe"):
        page = open_page(browser, server + url)
        page.wait_for_selector("#preview[data-rendered]", timeout=60_000)
        seen, unnamed = unnamed_controls(page)
        assert seen >= 20, url
        assert unnamed == [], url
        page.close()


def test_the_page_is_operable_by_keyboard_alone(browser: Any, server: str) -> None:
    """From the product picker, Tab reaches an option; Space and Enter pick values; Tab
    reaches the actions, and Enter on Reset clears the choices."""
    page = open_page(browser, server + "/#insole")
    page.locator("#family").focus()
    target = option(page, "side", "left")
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the 'Left' option of 'Side'")
    page.keyboard.press("Space")
    settle(page)
    assert option(page, "side", "left").get_attribute("aria-pressed") == "true"
    # the focus stays on the option across the re-render; the next Tab moves on
    assert option(page, "side", "left").evaluate("b => b === document.activeElement")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    settle(page)
    assert option(page, "side", "right").get_attribute("aria-pressed") == "true"
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.id") == "reset":
            break
    else:
        raise AssertionError("Tab never reached Reset")
    page.keyboard.press("Enter")
    settle(page)
    assert option(page, "side", "right").get_attribute("aria-pressed") == "false"
    assert page.errors == []
    page.close()
