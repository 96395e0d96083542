"""Helpers of the browser tests: open the page, wait for answers, read it, audit it.

``contrast_failures`` measures WCAG 2.1 contrast in the page itself (computed styles, the
background composited up the ancestors); ``unnamed_controls`` asks Chromium's accessibility
tree (over the DevTools protocol) for controls without an accessible name.
"""

from __future__ import annotations

import json
from typing import Any

DEMO_CUSTOMER = "00000000-0000-4000-8000-000000000001"
DEMO_KEY = "lk_demo_customer"


def option(page: Any, key: str, value: str) -> Any:
    """The button of ``value`` in the fieldset of ``key``."""
    return page.locator(f'fieldset[data-key="{key}"] button.opt[data-value="{value}"]')


def price(page: Any) -> object:
    """The price on screen as the page got it (a number, or ``{"min", "max"}``)."""
    return json.loads(page.locator("#price").get_attribute("data-price"))


def settle(page: Any) -> None:
    """Wait until the page has answered the last change (``body[data-busy]`` is gone)."""
    page.wait_for_function("() => !document.body.dataset.busy", timeout=60_000)


def open_page(browser: Any, url: str, width: int = 1280, height: int = 900) -> Any:
    """A new tab on ``url``, ready and settled; JavaScript errors are kept in ``page.errors``."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    settle(page)
    return page


def non_blank(page: Any) -> int:
    """How many distinct colours the preview canvas shows (1 when blank)."""
    count: int = page.evaluate(
        """() => { const c = document.getElementById('preview');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const s = new Set();
        for (let i = 0; i < d.length; i += 16) s.add(d[i] << 16 | d[i+1] << 8 | d[i+2]);
        return s.size; }"""
    )
    return count


# Every visible piece of text (text nodes, form controls' values and placeholders): its
# colour against the background composited from its ancestors, with opacity, as WCAG 2.1
# measures contrast. Large text (>= 24 px, or >= 18.66 px bold) needs 3:1, the rest 4.5:1.
# Disabled controls are exempt (WCAG 1.4.3: inactive components); aria-disabled ones are not.
_AUDIT = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = [0, 1, 2].map((i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a);
    return [...mix, a];
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let color = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color);
    return color;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const visible = (el) => el.checkVisibility({ visibilityProperty: true })
    && el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
  const items = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!visible(el) || el.closest(":disabled") || el.closest("[hidden]")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const control = el.matches("select, input:not([type=range]):not([type=checkbox]), textarea");
    if (own || (control && el.value)) items.push([el, getComputedStyle(el).color, "text"]);
    if (control && !el.value && el.placeholder) {
      items.push([el, getComputedStyle(el, "::placeholder").color, "placeholder"]);
    }
  }
  const failures = [];
  let checked = 0;
  for (const [el, colour, what] of items) {
    const style = getComputedStyle(el);
    const fg = parse(colour);
    const bg = background(el);
    const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(shown, bg);
    checked += 1;
    if (got < need) {
      const text = (what === "placeholder" ? el.placeholder : el.value || el.textContent).trim();
      failures.push({ element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className ? "." + String(el.className).split(" ").join(".") : ""),
        what, text: text.slice(0, 40), ratio: Math.round(got * 100) / 100, need, colour,
        background: `rgb(${bg.slice(0, 3).map(Math.round).join(",")})` });
    }
  }
  return { checked, failures };
}"""


def contrast_failures(page: Any, at_least: int = 10) -> list[dict[str, object]]:
    """The visible texts below the WCAG 2.1 AA contrast (after checking ``at_least`` texts)."""
    result: dict[str, Any] = page.evaluate(_AUDIT)
    assert result["checked"] >= at_least, result
    failures: list[dict[str, object]] = result["failures"]
    return failures


_CONTROL_ROLES = {"button", "checkbox", "combobox", "slider", "spinbutton", "textbox", "img"}


def unnamed_controls(page: Any) -> tuple[int, list[str]]:
    """(controls seen, those without an accessible name) in Chromium's accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    try:
        tree = cdp.send("Accessibility.getFullAXTree")
    finally:
        cdp.detach()
    seen = 0
    unnamed: list[str] = []
    for node in tree["nodes"]:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role not in _CONTROL_ROLES:
            continue
        seen += 1
        if not str(node.get("name", {}).get("value", "")).strip():
            unnamed.append(f"{role} (backend node {node.get('backendDOMNodeId')})")
    return seen, unnamed


def api_json(
    server: str,
    path: str,
    body: object | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> Any:
    """Call the API as the demo customer (for setting up and checking what the page did)."""
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        server + path,
        data=data,
        method=method,
        headers={"X-API-Key": DEMO_KEY, "content-type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())
