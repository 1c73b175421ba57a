/* The keyboard: Space plays or pauses, ← / → move one step, Home / End go to the first / last step, wherever the
 * focus is in the player, except where the focused control has its own use for the key (a slider moves itself with
 * the arrows, a list picks with them, a button and a checkbox take Space; Space on a slider still plays).  Tab
 * walks the controls in the order of index.html; the focus ring is player.css's :focus-visible. */

import { seek, setPlaying } from "./clock.js";
import { st } from "./state.js";

/** Does the focused element handle this key itself? */
function ownUse(target, key) {
  const tag = target && target.tagName;
  if (tag === "SELECT" || tag === "TEXTAREA") return true;
  if (tag === "INPUT" && target.type === "range") return key !== " "; // Space on the step slider still plays
  if (tag === "INPUT") return target.type !== "checkbox" || key === " ";
  if (tag === "BUTTON" || tag === "A") return key === " " || key === "Enter";
  return false;
}

export function wire() {
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || ownUse(e.target, e.key)) return;
    const moves = { ArrowLeft: () => st.frame - 1, ArrowRight: () => st.frame + 1, Home: () => 0, End: () => st.T };
    if (e.key === " ") {
      e.preventDefault();
      setPlaying(!st.playing);
    } else if (moves[e.key]) {
      e.preventDefault();
      seek(moves[e.key]());
    }
  });
}
