// The lotone web configurator: plain JavaScript on top of the public HTTP API.
// Every attribute shows the values valid under the customer's *other* choices; withheld values
// stay visible (aria-disabled) with the engine's `why`, and picking one offers its `repair`.
import { GlbView } from "./glb-view.js";
import { api, busy, configure } from "./api.js";
import { alternativesFor, recommend } from "./recommend.js";
import { $, ui } from "./state.js";
import { attributeOf, inDomain, keyLabel, money, pair, typed, valueLabel, without } from "./values.js";

const KEY_STORE = "lotone.apiKey";
let viewer = null;

// ---------------------------------------------------------------- state changes

function commit(next) {
  ui.past.push(ui.choices);
  ui.choices = next;
  ui.orderKey = null;
  return refresh();
}

async function choose(key, value) {
  if (ui.choices[key] === value) return;
  busy(+1);
  try { await chooseNow(key, value); } finally { busy(-1); }
}

async function chooseNow(key, value) {
  const domain = key in ui.choices ? ui.alt[key] : ui.answer?.domains[key];
  if (domain !== undefined && !inDomain(domain, value)) return offerRepair(key, value);
  return commit({ ...ui.choices, [key]: value });
}

async function whyText(key, value) {
  const id = `${JSON.stringify(without(ui.choices, key))}|${pair(key, value)}`;
  if (ui.reasons.has(id)) return ui.reasons.get(id);
  const answer = await configure({ choices: without(ui.choices, key), why: { key, value } });
  const why = answer.why || {};
  const messages = Object.values(why.messages || {});
  let text = messages.join(" ");
  if (why.choices?.length) text += ` (because of: ${why.choices.join(", ")})`;
  const out = { text: text || "No valid product has this value.", why, repair: answer.repair || [] };
  ui.reasons.set(id, out);
  return out;
}

async function offerRepair(key, value) {
  const reason = await whyText(key, value);
  if (reason.why.available) return commit({ ...ui.choices, [key]: value });
  const drop = reason.repair.map((p) => p.slice(0, p.indexOf("=")));
  const label = keyLabel(key);
  $("repair-title").textContent = `${label}: ${valueLabel(key, value)} is not available`;
  $("repair-why").textContent = reason.text;
  $("repair-what").textContent = drop.length
    ? `To choose it, these choices will be cleared: ${drop.map((k) => `${keyLabel(k)} (${valueLabel(k, ui.choices[k])})`).join(", ")}.`
    : "No change of your choices makes it possible.";
  const dialog = $("repair");
  const apply = $("repair-apply");
  apply.hidden = drop.length === 0 && !reason.repair.length;
  apply.onclick = () => {
    close();
    let next = { ...ui.choices };
    for (const k of drop) next = without(next, k);
    commit({ ...next, [key]: value });
  };
  const close = () => { dialog.hidden = true; document.removeEventListener("keydown", onKey); };
  const onKey = (e) => { if (e.key === "Escape") close(); };
  $("repair-cancel").onclick = close;
  document.addEventListener("keydown", onKey);
  dialog.hidden = false;
  (apply.hidden ? $("repair-cancel") : apply).focus();
}

// ---------------------------------------------------------------- refresh and render

async function refresh() {
  const seq = ++ui.seq;
  writeUrl();
  try {
    const answer = await configure({ choices: ui.choices });
    // the domain of each chosen key under the other choices: what it may be changed to
    const keys = Object.keys(ui.choices);
    const alts = await Promise.all(keys.map((k) => configure({ choices: without(ui.choices, k) })));
    if (seq !== ui.seq) return;
    ui.answer = answer;
    ui.alt = Object.fromEntries(keys.map((k, i) => [k, alts[i].domains[k]]));
    say("");
  } catch (error) {
    if (seq !== ui.seq) return;
    say(error.status === 401 || error.status === 403 ? "Enter a valid API key (top right)." : `Error: ${error.message}`, true);
    return;
  }
  render();
  schedulePreview();
}

function render() {
  const form = $("attributes");
  const focused = document.activeElement?.dataset?.focusId;
  form.replaceChildren();
  for (const [key, domainNow] of Object.entries(ui.answer.domains)) {
    const chosen = key in ui.choices;
    const domain = chosen ? ui.alt[key] : domainNow;
    const a = attributeOf(key);
    const set = document.createElement("fieldset");
    set.dataset.key = key;
    const legend = document.createElement("legend");
    legend.textContent = keyLabel(key);
    set.append(legend);
    if (chosen) {
      const clear = button("clear", "Clear", () => commit(without(ui.choices, key)));
      clear.setAttribute("aria-label", `Clear ${keyLabel(key)}`);
      legend.append(clear);
    }
    if (a?.description) {
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = a.description;
      set.append(hint);
    }
    if (Array.isArray(domain) || a?.type === "enum" || a?.type === "bool") {
      set.append(optionButtons(key, a, domain || []));
    } else {
      set.append(numberInput(key, a, domain));
    }
    const alts = alternativesFor(key, choose);
    if (alts) set.append(alts);
    const reason = document.createElement("p");
    reason.className = "reason";
    reason.id = `reason-${key}`;
    reason.hidden = true;
    set.append(reason);
    form.append(set);
  }
  if (focused) form.querySelector(`[data-focus-id="${CSS.escape(focused)}"]`)?.focus();
  renderSummary();
}

function button(cls, text, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = text;
  b.onclick = onclick;
  return b;
}

function optionButtons(key, a, domain) {
  const box = document.createElement("div");
  box.className = "options";
  box.setAttribute("role", "group");
  const values = a?.values ? a.values.map((v) => v.name) : a?.type === "bool" ? [true, false] : domain;
  for (const value of values) {
    const ok = domain.includes(value);
    const b = button("opt", valueLabel(key, value), () => choose(key, value));
    b.dataset.value = String(value);
    b.dataset.focusId = pair(key, value);
    b.setAttribute("aria-pressed", String(ui.choices[key] === value));
    if (!ok) {
      // aria-disabled (not disabled): it stays focusable and tappable, to show why and repair
      b.setAttribute("aria-disabled", "true");
      const show = async () => {
        const reason = await whyText(key, value);
        b.title = reason.text;
        b.setAttribute("aria-description", reason.text);
        const p = $(`reason-${key}`);
        if (p) { p.textContent = `${valueLabel(key, value)}: ${reason.text}`; p.hidden = false; }
      };
      b.addEventListener("mouseenter", show);
      b.addEventListener("focus", show);
    }
    box.append(b);
  }
  return box;
}

function numberInput(key, a, domain) {
  const box = document.createElement("div");
  box.className = "num";
  const lo = domain?.min ?? a?.min, hi = domain?.max ?? a?.max;
  const step = a?.step ?? 1;
  const current = key in ui.choices ? ui.choices[key] : null;
  const label = keyLabel(key);
  const range = document.createElement("input");
  range.type = "range";
  range.min = lo; range.max = hi; range.step = step;
  range.value = current ?? a?.default ?? lo;
  range.setAttribute("aria-label", `${label} (slider, feasible ${lo} to ${hi})`);
  range.dataset.focusId = `${key}:range`;
  const number = document.createElement("input");
  number.type = "number";
  number.min = a?.min ?? lo; number.max = a?.max ?? hi; number.step = step;
  number.value = current ?? "";
  number.placeholder = String(a?.default ?? "");
  number.setAttribute("aria-label", `${label}${a?.unit ? ` in ${a.unit}` : ""}`);
  number.dataset.key = key;
  number.dataset.focusId = `${key}:number`;
  range.addEventListener("input", () => { number.value = range.value; });
  range.addEventListener("change", () => choose(key, Number(range.value)));
  number.addEventListener("change", () => { if (number.value !== "") choose(key, Number(number.value)); });
  const note = document.createElement("span");
  note.className = "range-note";
  note.textContent = `feasible ${lo}–${hi}${a?.unit ? ` ${a.unit}` : ""}`;
  note.dataset.range = `${lo}-${hi}`;
  box.append(range, number, note);
  return box;
}

function renderSummary() {
  const { price, currency, status } = ui.answer;
  const out = $("price");
  if (typeof price === "number") out.textContent = money(price, currency);
  else if (price && typeof price === "object") out.textContent = `${money(price.min, currency)} – ${money(price.max, currency)}`;
  else out.textContent = "–";
  out.dataset.price = JSON.stringify(price);
  const open = Object.keys(ui.answer.domains).length - Object.keys(ui.choices).length;
  $("status").textContent = status === "complete" ? "Complete: ready to order."
    : status === "conflict" ? "Your choices conflict." : `${open} option(s) still open: choose, or let us complete it.`;
  $("status").dataset.status = status;
  $("undo").disabled = ui.past.length === 0;
  $("order").disabled = status !== "complete";
}

function say(text, bad = false) {
  $("message").textContent = text;
  $("message").classList.toggle("bad", bad);
  delete $("message").dataset.problem;
}

// ---------------------------------------------------------------- URL

function writeUrl() {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(ui.choices)) params.set(k, String(v));
  const hash = `#${encodeURIComponent(ui.family)}${params.size ? `?${params}` : ""}`;
  history.replaceState(null, "", hash);
}

function readUrl() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash) return null;
  const [family, query] = hash.split("?");
  return { family, query: new URLSearchParams(query || "") };
}

// ---------------------------------------------------------------- preview

function schedulePreview() {
  clearTimeout(ui.previewTimer);
  if (!ui.previewOk || ui.answer.status === "conflict") return;
  ui.previewTimer = setTimeout(preview, 250);
}

async function preview() {
  const seq = ui.seq;
  const box = $("preview-box");
  try {
    const data = await api(`/v1/families/${ui.family}/preview`, { choices: ui.choices }, "buffer");
    if (seq !== ui.seq) return;
    box.hidden = false;
    viewer ||= new GlbView($("preview"));
    viewer.load(data);
    const [x, y, z] = viewer.size.map(Math.round);
    $("preview-caption").textContent = `3D preview (${x} × ${y} × ${z} mm, open options at their defaults) — drag or use the arrow keys to turn it`;
    $("preview").dataset.rendered = String(Date.now());
  } catch (error) {
    if (error.status === 404) { ui.previewOk = false; box.hidden = true; }
    else $("preview-caption").textContent = `No preview: ${error.message}`;
  }
}

// ---------------------------------------------------------------- actions

async function loadFamily(id, query) {
  ui.family = id;
  ui.meta = (await api(`/v1/families/${id}`)).latest_version;
  ui.choices = {};
  if (query) for (const [k, v] of query) ui.choices[k] = typed(k, v);
  ui.past = [];
  ui.rec = null;
  ui.reasons.clear();
  ui.previewOk = true;
  $("preview-box").hidden = true;
  $("family").value = id;
  await refresh();
}

async function completeForMe() {
  const answer = await configure({ choices: ui.choices, complete: true });
  if (answer.configuration) await commit(answer.configuration);
  else say("Your choices conflict: undo or clear one first.", true);
}

async function placeOrder() {
  const answer = await configure({ choices: ui.choices, complete: true });
  ui.orderKey ||= `web-${crypto.randomUUID()}`;
  try {
    const order = await api("/v1/orders", {
      family: ui.family, version: answer.version, configuration: answer.configuration,
      __idempotency: ui.orderKey,
    });
    say(`Order ${order.id} placed: ${money(Number(order.price), order.currency || answer.currency)}.`);
    $("message").dataset.order = order.id;
  } catch (error) {
    say(`The order was not placed: ${error.message}`, true);
  }
}

async function share() {
  writeUrl();
  try { await navigator.clipboard.writeText(location.href); say("Link copied: it restores this configuration."); }
  catch { say(`Link to this configuration: ${location.href}`); }
}

async function start() {
  const keyInput = $("api-key");
  const config = await (await fetch("/web/config")).json();
  keyInput.value = sessionStorage.getItem(KEY_STORE) || config.demo_key || "";
  $("key-note").textContent = config.demo
    ? "Demo server: the demo customer's key is filled in. Never run --demo on a shared server."
    : "Paste the API key you were given; it is kept in this tab only (sessionStorage).";
  if (!keyInput.value) $("api-key").closest("details").open = true;
  keyInput.addEventListener("change", async () => {
    sessionStorage.setItem(KEY_STORE, apiKey());
    await init();
  });
  $("undo").onclick = () => { if (ui.past.length) { ui.choices = ui.past.pop(); ui.orderKey = null; refresh(); } };
  $("reset").onclick = () => { ui.rec = null; commit({}); };
  $("recommend").onclick = () => recommend(commit, say);
  $("complete").onclick = completeForMe;
  $("share").onclick = share;
  $("order").onclick = placeOrder;
  $("family").onchange = () => loadFamily($("family").value);
  window.addEventListener("hashchange", () => {
    const url = readUrl();
    if (url && url.query.toString() !== new URLSearchParams(Object.entries(ui.choices).map(([k, v]) => [k, String(v)])).toString()) {
      loadFamily(url.family, url.query);
    }
  });
  await init();
}

async function init() {
  try {
    ui.families = await api("/v1/families");
  } catch (error) {
    say(error.status === 401 || error.status === 403 ? "Enter a valid API key (top right)." : `Error: ${error.message}`, true);
    return;
  }
  const select = $("family");
  select.replaceChildren(...ui.families.map((f) => new Option(f.name, f.id)));
  const url = readUrl();
  const known = url && ui.families.some((f) => f.id === url.family);
  await loadFamily(known ? url.family : ui.families[0].id, known ? url.query : null);
  document.body.dataset.ready = "true";
}

start();
