// The page's one state object, and the element lookup every module uses.

export const $ = (id) => document.getElementById(id);

export const ui = {
  families: [],
  family: null,       // id
  meta: null,         // the newest version: attributes, modules
  choices: {},
  past: [],           // undo stack of earlier choices
  answer: null,       // the configure answer for `choices`
  alt: {},            // key -> its domain under the other choices (for chosen keys)
  reasons: new Map(), // why-cache: "choices|key=value" -> text
  orderKey: null,     // Idempotency-Key of the configuration on screen
  rec: null,          // the last recommendation: {alternatives, depth} (depth: undo stack size)
  seq: 0,
  previewOk: true,
  previewTimer: null,
};
