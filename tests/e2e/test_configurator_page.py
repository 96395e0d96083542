"""The web configurator in a real browser: configure an insole from start to order."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from page_helpers import non_blank as _non_blank
from page_helpers import open_page as _open
from page_helpers import option as _option
from page_helpers import price as _price
from page_helpers import settle as _settle


def test_configure_an_insole_end_to_end(browser: Any, server: str, shots: Path) -> None:
    """Reasons, repair, live price, shared URL, 3D preview and an order, as a customer sees them."""
    page = _open(browser, server + "/")
    assert page.locator("#api-key").input_value() == "lk_demo_customer"  # --demo prefills it
    assert page.locator("#family").input_value() == "insole"
    start_price = _price(page)
    assert isinstance(start_price, dict)
    page.screenshot(path=str(shots / "01-start.png"), full_page=True)

    # choosing diabetic care withholds firm stiffness, with the rule's own words on hover
    _option(page, "use", "diabetic_care").click()
    _settle(page)
    assert _option(page, "use", "diabetic_care").get_attribute("aria-pressed") == "true"
    firm = _option(page, "stiffness", "firm")
    assert firm.get_attribute("aria-disabled") == "true"
    assert _option(page, "stiffness", "soft").get_attribute("aria-disabled") is None
    firm.hover()
    reason = page.locator("#reason-stiffness")
    reason.wait_for(state="visible")
    assert "diabetic foot care are printed soft" in reason.inner_text()
    assert "diabetic" in (firm.get_attribute("title") or "")
    assert _price(page) != start_price  # diabetic care forces the antimicrobial finish
    page.screenshot(path=str(shots / "02-withheld-reason.png"), full_page=True)

    # picking the withheld value (by keyboard: Playwright will not click aria-disabled)
    # offers the repair: drop 'Intended use' and take firm
    firm.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#repair")
    dialog.wait_for(state="visible")
    assert "Intended use" in page.locator("#repair-what").inner_text()
    page.screenshot(path=str(shots / "03-repair.png"))
    page.locator("#repair-apply").click()
    _settle(page)
    assert dialog.is_hidden()
    assert _option(page, "stiffness", "firm").get_attribute("aria-pressed") == "true"
    assert _option(page, "use", "diabetic_care").get_attribute("aria-pressed") == "false"

    # a number: the input is bounded by the feasible range, the price follows it
    before = _price(page)
    length = page.locator('fieldset[data-key="foot_length_mm"] input[type=number]')
    length.fill("300")
    length.press("Enter")
    _settle(page)
    after = _price(page)
    assert after != before
    width = page.locator('fieldset[data-key="foot_width_mm"] input[type=range]')
    assert (width.get_attribute("min"), width.get_attribute("max")) == ("96", "130")

    # undo brings the length back, then complete for me finishes it: one price
    page.locator("#undo").click()
    _settle(page)
    assert _price(page) == before
    length.fill("281")
    length.press("Enter")
    _settle(page)
    page.locator("#complete").click()
    _settle(page)
    assert page.locator("#status").get_attribute("data-status") == "complete"
    final = _price(page)
    assert isinstance(final, int | float)

    # the preview renders the GLB of the design (not a blank canvas)
    page.wait_for_selector("#preview[data-rendered]", timeout=20_000)
    assert _non_blank(page) > 20
    page.locator("#preview").screenshot(path=str(shots / "04-preview.png"))
    page.screenshot(path=str(shots / "05-complete.png"), full_page=True)

    # the URL restores the same configuration in a new tab
    url = page.url
    assert "foot_length_mm=281" in url
    again = _open(browser, url)
    assert _option(again, "stiffness", "firm").get_attribute("aria-pressed") == "true"
    assert (
        again.locator('fieldset[data-key="foot_length_mm"] input[type=number]').input_value()
        == "281"
    )
    assert _price(again) == final
    again.close()

    # add to order: the API holds the order at the shown price
    page.locator("#order").click()
    page.wait_for_selector("#message[data-order]", timeout=20_000)
    order_id = page.locator("#message").get_attribute("data-order")
    request = urllib.request.Request(
        f"{server}/v1/orders/{order_id}", headers={"X-API-Key": "lk_demo_customer"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        order = json.loads(response.read())
    assert order["family"] == "insole"
    assert float(order["price"]) == pytest.approx(final)
    page.screenshot(path=str(shots / "06-ordered.png"), full_page=True)
    assert page.errors == []
    page.close()


def test_phone_viewport_and_keyboard(browser: Any, server: str, shots: Path) -> None:
    """At 390 px wide nothing scrolls sideways; options are reached and chosen by keyboard."""
    page = _open(browser, server + "/#insole", width=390, height=844)
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= 390
    pair = _option(page, "side", "left")
    pair.focus()
    page.keyboard.press("Enter")
    _settle(page)
    assert _option(page, "side", "left").get_attribute("aria-pressed") == "true"
    for control in page.locator("input").all():
        assert control.get_attribute("aria-label") or control.get_attribute("id")
    page.screenshot(path=str(shots / "07-phone.png"), full_page=True)
    assert page.errors == []
    page.close()
