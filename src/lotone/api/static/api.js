// The public HTTP API, called with the customer's key; the page is "busy" (body[data-busy])
// while a call is in flight, so tests wait for answers rather than for time.
import { $, ui } from "./state.js";

export function apiKey() { return $("api-key").value.trim(); }

let pending = 0;

export function busy(delta) {
  pending += delta;
  if (pending) document.body.dataset.busy = "true";
  else delete document.body.dataset.busy;
}

// One API call, parsed as `json` or `buffer`. A refusal throws an Error whose message is the
// problem's `detail` (RFC 9457), with `status` and the problem `type`.
export async function api(path, body, parse = "json") {
  const headers = { "X-API-Key": apiKey() };
  const init = { headers };
  if (body !== undefined) {
    init.method = "POST";
    headers["content-type"] = "application/json";
    if (body.__idempotency) { headers["Idempotency-Key"] = body.__idempotency; delete body.__idempotency; }
    init.body = JSON.stringify(body);
  }
  busy(+1);
  try {
    const response = await fetch(path, init);
    if (!response.ok) {
      let detail = `${response.status}`;
      let type = null;
      try { const p = await response.json(); detail = p.detail || p.title || detail; type = p.type || null; } catch { /* not JSON */ }
      const error = new Error(detail);
      error.status = response.status;
      error.type = type;
      throw error;
    }
    return parse === "buffer" ? await response.arrayBuffer() : await response.json();
  } finally {
    busy(-1);
  }
}

export const configure = (body) => api(`/v1/families/${ui.family}/configure`, body);
