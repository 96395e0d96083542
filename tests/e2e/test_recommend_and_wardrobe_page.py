"""Recommend on the page (with and without the profile's consent) and the wardrobe's 3D preview."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from page_helpers import (
    DEMO_CUSTOMER,
    api_json,
    contrast_failures,
    non_blank,
    open_page,
    option,
    settle,
)


def _consent(server: str, purpose: str, granted: bool) -> None:
    path = f"/v1/customers/{DEMO_CUSTOMER}/consents/{purpose}"
    api_json(server, path, {"granted": granted}, method="PUT")


# what three earlier runners ordered: firm, pronation control, a neoprene cover
FAVOURITES = {"use": "running", "stiffness": "firm", "support": "pronation_control",
              "top_cover": "neoprene"}  # fmt: skip


def _past_orders(server: str, count: int) -> list[str]:
    """``count`` orders of the favourites by the demo customer, who allows learning from them."""
    _consent(server, "analytics", True)
    body = {"choices": FAVOURITES, "complete": True}
    configuration = api_json(server, "/v1/families/insole/configure", body, "POST")["configuration"]
    ids = []
    for _ in range(count):
        order = api_json(
            server,
            "/v1/orders",
            {"family": "insole", "configuration": configuration},
            "POST",
            headers={"Idempotency-Key": f"e2e-history-{uuid.uuid4()}"},
        )
        ids.append(order["id"])
    return ids


def _forget(server: str, orders: list[str]) -> None:
    """Cancel the orders (cancelled orders teach nothing) and withdraw the consent."""
    for order in orders:
        api_json(server, f"/v1/orders/{order}/status", {"status": "cancelled"}, "POST")
    _consent(server, "analytics", False)


def test_recommend_applies_a_learned_valid_proposal_with_alternatives_and_undo(
    browser: Any, server: str, shots: Path
) -> None:
    """Recommend (by keyboard) keeps the customer's choice and completes the rest as past
    orders did, with scored alternatives under the options; an alternative is one click;
    Undo goes back."""
    orders = _past_orders(server, 3)
    try:
        _recommend_on_the_page(browser, server, shots)
    finally:
        _forget(server, orders)


def _recommend_on_the_page(browser: Any, server: str, shots: Path) -> None:
    page = open_page(browser, server + "/#insole?use=running")
    assert page.locator("#status").get_attribute("data-status") == "incomplete"
    page.locator("#recommend").focus()
    page.keyboard.press("Enter")
    settle(page)
    assert page.locator("#status").get_attribute("data-status") == "complete"
    for key, value in FAVOURITES.items():
        assert option(page, key, value).get_attribute("aria-pressed") == "true", key
    assert "learned from past orders" in page.locator("#message").inner_text()
    stiffness = page.locator("#alts-stiffness button.alt")
    assert stiffness.count() >= 2
    assert stiffness.first.get_attribute("data-value") == "firm"
    assert stiffness.first.get_attribute("aria-pressed") == "true"
    label = stiffness.first.get_attribute("aria-label") or ""
    assert label.startswith("Choose Firm")
    assert "for Stiffness" in label
    assert "%" in label
    # the configuration on screen (the shared URL) is complete for the engine too
    shared = page.evaluate(
        "() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1]))"
    )
    body = {"choices": shared}
    assert api_json(server, "/v1/families/insole/configure", body, "POST")["status"] == "complete"
    page.screenshot(path=str(shots / "08-recommended.png"), full_page=True)
    assert contrast_failures(page) == []

    # an alternative is one click away (it may offer a repair if other choices exclude it)
    second = stiffness.nth(1)
    value = second.get_attribute("data-value")
    second.click()
    settle(page)
    if page.locator("#repair").is_visible():
        page.locator("#repair-apply").click()
        settle(page)
    assert option(page, "stiffness", value).get_attribute("aria-pressed") == "true"
    chosen = page.locator(f'#alts-stiffness button.alt[data-value="{value}"]')
    assert chosen.get_attribute("aria-pressed") == "true"

    # undo twice: back to the customer's own single choice, the alternatives gone
    page.locator("#undo").click()
    settle(page)
    page.locator("#undo").click()
    settle(page)
    assert page.locator("#status").get_attribute("data-status") == "incomplete"
    assert page.locator("p.alts").count() == 0
    assert "use=running" in page.url
    assert "stiffness" not in page.url
    assert page.errors == []
    page.close()


def test_recommend_with_the_profile_needs_the_consent(
    browser: Any, server: str, shots: Path
) -> None:
    """ "Use my profile" without the 'recommendation' consent shows the refusal and changes
    nothing; once the customer consented, their foot length (268 mm) is used."""
    _consent(server, "recommendation", False)
    try:
        page = open_page(browser, server + "/#insole")
        page.get_by_label("Use my profile for the recommendation").check()
        page.locator("#recommend").click()
        settle(page)
        message = page.locator("#message")
        assert message.get_attribute("data-problem") == "urn:lotone:problem:consent-required"
        assert "consent 'recommendation' is required" in message.inner_text()
        assert "bad" in (message.get_attribute("class") or "")
        assert page.locator("#status").get_attribute("data-status") == "incomplete"
        assert page.locator("#undo").is_disabled()  # nothing was applied
        page.screenshot(path=str(shots / "09-consent-refused.png"), full_page=True)
        assert contrast_failures(page) == []

        _consent(server, "recommendation", True)
        page.locator("#recommend").click()
        settle(page)
        length = page.locator('fieldset[data-key="foot_length_mm"] input[type=number]')
        assert length.input_value() == "268"
        assert page.locator("#status").get_attribute("data-status") == "complete"
        assert "no favourites" in page.locator("#message").inner_text()  # no history
        assert page.locator("p.alts").count() == 0  # equal scores say nothing
        page.screenshot(path=str(shots / "10-recommended-with-profile.png"), full_page=True)
        assert page.errors == []
        page.close()
    finally:
        _consent(server, "recommendation", False)


def test_wardrobe_preview_shows_the_assembled_boards(
    browser: Any, server: str, shots: Path
) -> None:
    """The wardrobe's preview canvas renders its boards (not blank) and follows a change."""
    page = open_page(browser, server + "/#wardrobe")
    assert page.locator("#family").input_value() == "wardrobe"
    page.wait_for_selector("#preview[data-rendered]", timeout=60_000)
    assert page.locator("#preview-box").is_visible()
    assert non_blank(page) > 20
    caption = page.locator("#preview-caption").inner_text()
    assert "mm" in caption
    page.locator("#preview").screenshot(path=str(shots / "11-wardrobe-preview.png"))
    first = page.locator("#preview").get_attribute("data-rendered")
    option(page, "door_type", "none").click()
    settle(page)
    page.wait_for_function(
        f"() => document.getElementById('preview').dataset.rendered !== '{first}'",
        timeout=60_000,
    )
    assert non_blank(page) > 20
    assert (
        page.locator('fieldset[data-key="section[1].interior"] legend')
        .inner_text()
        .startswith("Section 1: Interior")
    )
    page.screenshot(path=str(shots / "12-wardrobe-open.png"), full_page=True)
    assert contrast_failures(page) == []
    assert page.errors == []
    page.close()
