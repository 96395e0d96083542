// Attributes, values and their labels, from the family version on screen.
import { ui } from "./state.js";

function attributes() {
  const out = new Map();
  for (const a of ui.meta?.attributes || []) out.set(a.name, a);
  for (const m of ui.meta?.modules || []) for (const a of m.attributes) out.set(`${m.name}.${a.name}`, a);
  return out;
}

export function attributeOf(key) {
  // module instance keys look like `section[2].width_mm`
  return attributes().get(key) || attributes().get(key.replace(/\[\d+\]/, ""));
}

export function keyLabel(key) {
  const a = attributeOf(key);
  if (!a) {
    const module = (ui.meta?.modules || []).find((m) => key === `${m.name}.count`);
    if (module) return `${module.label} (number)`;
    return key;
  }
  const instance = key.match(/^(\w+)\[(\d+)\]\./);
  if (!instance) return a.label;
  const module = (ui.meta?.modules || []).find((m) => m.name === instance[1]);
  return `${module?.label || instance[1]} ${instance[2]}: ${a.label}`;
}

export function valueLabel(key, value) {
  const a = attributeOf(key);
  if (a?.values) { const v = a.values.find((x) => x.name === value); if (v) return v.label; }
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return String(value);
}

export function typed(key, text) {
  const a = attributeOf(key);
  if (a?.type === "bool" || (!a && (text === "true" || text === "false"))) return text === "true";
  if (a?.type === "number" || a?.type === "int" || (!a && /^-?\d+(\.\d+)?$/.test(text))) return Number(text);
  return text;
}

export const pair = (key, value) => `${key}=${value}`;
export const without = (choices, key) => Object.fromEntries(Object.entries(choices).filter(([k]) => k !== key));

export function inDomain(domain, value) {
  if (Array.isArray(domain)) return domain.includes(value);
  if (!domain || typeof value !== "number") return false;
  const ranges = domain.ranges || [[domain.min, domain.max]];
  return ranges.some(([lo, hi]) => value >= lo && value <= hi);
}

export function money(amount, currency) {
  try { return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "EUR" }).format(amount); }
  catch { return `${amount.toFixed(2)} ${currency || ""}`; }
}
