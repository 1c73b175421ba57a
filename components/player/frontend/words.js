/* The player's words: every text it shows comes from Python in the visitor's language (args.strings, built by
 * components/player/words.py); this module keeps them, fills their {placeholders} and puts the fixed ones into
 * index.html's elements (data-say: the text, data-say-label: aria-label, data-say-title: the tooltip).  No module
 * of the player writes a sentence of its own. */

export const words = {};

/** The message `key` with its {placeholders} filled from `values` (a missing key shows as itself, never as a
 *  sentence in another language). */
export function say(key, values) {
  const text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

/** Take a render's strings and language: the document's language (screen readers choose their voice by it) and
 *  every fixed text of index.html. */
export function setWords(strings, lang) {
  for (const k of Object.keys(words)) delete words[k];
  Object.assign(words, strings || {});
  document.documentElement.lang = lang || "en";
  document.title = say("player");
  for (const el of document.querySelectorAll("[data-say]")) el.textContent = say(el.dataset.say);
  for (const el of document.querySelectorAll("[data-say-label]")) {
    el.setAttribute("aria-label", say(el.dataset.sayLabel));
  }
  for (const el of document.querySelectorAll("[data-say-title]")) el.title = say(el.dataset.sayTitle);
}
