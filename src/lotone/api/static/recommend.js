// "Recommend": a complete valid configuration learned from past orders (and, when the
// customer ticks "use my profile", from their profile under their consent), applied as the
// choices like any other step (so Undo goes back), with the top alternatives per option.
import { $, ui } from "./state.js";
import { api } from "./api.js";
import { keyLabel, valueLabel } from "./values.js";

// Ask for a recommendation keeping the current choices; `commit` applies it, `say` reports.
export async function recommend(commit, say) {
  const body = { choices: ui.choices, use_profile: $("use-profile").checked };
  let answer;
  try {
    answer = await api(`/v1/families/${ui.family}/recommend`, body);
  } catch (error) {
    say(`No recommendation: ${error.message}`, true);
    $("message").dataset.problem = error.type || String(error.status);
    return;
  }
  ui.rec = { alternatives: answer.alternatives, depth: ui.past.length + 1 };
  await commit(answer.configuration);
  const learned = Object.values(answer.alternatives).some(informative);
  say(learned
    ? "Recommended configuration applied, learned from past orders; other good choices are shown under the options. Undo goes back to your own choices."
    : "Recommended configuration applied. Past orders show no favourites for these options yet, so they follow the product's defaults. Undo goes back to your own choices.");
}

// Whether scores tell the values apart (without order history they are all equal).
function informative(alts) {
  const scores = alts.map(([, s]) => s);
  return Math.max(...scores) - Math.min(...scores) > 1e-6;
}

// Whether the last recommendation is still on screen (not undone, same family).
export function recommendationShown() {
  return ui.rec !== null && ui.past.length >= ui.rec.depth;
}

// The alternatives of one option as a row of buttons (null when there are none).
export function alternativesFor(key, choose) {
  const alts = recommendationShown() ? ui.rec.alternatives[key] : undefined;
  if (!alts?.length || !informative(alts)) return null;
  const row = document.createElement("p");
  row.className = "alts";
  row.id = `alts-${key}`;
  row.append("Recommended: ");
  for (const [value, score] of alts) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "alt";
    b.dataset.value = String(value);
    const percent = score < 0.005 ? "under 1 %" : `${Math.round(score * 100)} %`;
    b.textContent = `${valueLabel(key, value)} · ${percent}`;
    b.setAttribute("aria-label", `Choose ${valueLabel(key, value)} for ${keyLabel(key)} (recommendation score ${percent})`);
    b.setAttribute("aria-pressed", String(ui.choices[key] === value));
    b.onclick = () => choose(key, value);
    row.append(b);
  }
  return row;
}
