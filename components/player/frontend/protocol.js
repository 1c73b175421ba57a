/* Streamlit's components-v1 protocol, by hand (as in streamlit-component-lib's streamlit.ts): every message to the
 * parent carries {isStreamlitMessage: true, type}; we send "streamlit:componentReady" {apiVersion: 1},
 * "streamlit:setComponentValue" {value, dataType: "json"} and "streamlit:setFrameHeight" {height}; the parent sends
 * "streamlit:render" {args, dfs, disabled, theme} on load, whenever the Python arguments change, and also on
 * unrelated re-renders of the parent (frame height, width), which is why render() first compares a signature. */

import { ui } from "./state.js";

export function post(type, data) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data || {}), "*");
}

/** Send a value to Python (the page reruns with it as the component's value). */
export function sendValue(value) {
  post("streamlit:setComponentValue", { value: value, dataType: "json" });
}

let sentHeight = -1;
export function sendHeight() {
  const h = Math.ceil(ui.root.getBoundingClientRect().height) + 2;
  if (h !== sentHeight) {
    sentHeight = h;
    post("streamlit:setFrameHeight", { height: h });
  }
}

/** Call `render(args, theme)` on every render message from the parent, then say the component is ready. */
export function listen(render) {
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    const msg = event.data;
    if (!msg || msg.type !== "streamlit:render") return;
    try {
      render(msg.args || {}, msg.theme);
    } catch (err) {
      ui.error.hidden = false;
      ui.error.textContent = "player: " + (err && err.stack ? err.stack : err);
      throw err; // keep it visible to the console and to the browser tests
    }
  });
  post("streamlit:componentReady", { apiVersion: 1 });
}
