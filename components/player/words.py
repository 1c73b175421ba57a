"""The player's words: every text the trajectory player shows, in the visitor's language.

They travel to the front end in its arguments (``args["strings"]``, built by `strings` on every run, so a switch of
language redraws the player in the other one); the front end fills each message's ``{placeholders}`` with its numbers
(``frontend/words.js``, ``say(key, values)``) and keeps no sentence of its own.  The messages are in the ``player``
domain of the catalogs (``locales/*/LC_MESSAGES/player.po``).
"""

from __future__ import annotations

from components.figures import KIND_STYLE
from components.i18n import N_, t

STATUSES = {
    "running": N_("running"),
    "converged": N_("converged"),
    "diverged": N_("diverged"),
    "stalled": N_("stalled"),
    "moving": N_("moving"),
    "out_of_range": N_("out of range"),
}
"""A path's status code -> its badge in the readout.  The codes are the pages' one status vocabulary:
`components.outcomes` (a finished run), `outcomes.ENGINE_WORDS` (the live scrub's notches) and the player's own
"running" (before a run has done anything)."""


def strings() -> dict[str, str]:
    """Every text of the player, by the key the front end asks for (``{name}``: a value it fills in)."""
    s = {
        "player": t("Trajectory player"),
        "stage": t("The surface and the optimizers' paths"),
        # Controls.
        "play": t("Play"),
        "pause": t("Pause"),
        "keys": t("Space plays or pauses; the arrow keys move one step; Home and End go to the first and last step"),
        "step_slider": t("Step"),
        "frame": t("step {step} / {total}"),
        "speed": t("speed"),
        "speed_label": t("Speed"),
        "loop": t("loop"),
        # The readout.
        "col_optimizer": t("optimizer"),
        "col_step": t("step"),
        "col_status": t("status at this step"),
        "col_status_help": t("What the run had done by the step shown; at its last step, the run's outcome"),
        # The live scrub.
        "scrub_label": t("Scrub {name}"),
        "notch": t("notch {notch} / {count}: {name} = {values}"),
        "notch_opening": t("notch {notch} / {count} (as in the sidebar): {name} = {values}"),
        # i18n: between the items of a list (each optimizer with its value); Chinese uses "，"
        "list_separator": t(", "),
        # Hover labels and legend names on the plot.
        "tip": t("step {step} · f {value}"),
        "flow": t("gradient flow"),
        "flow_name": t("{label} (gradient flow)"),
        # Share: the file and the link.
        "size": t("size"),
        "size_label": t("Export size"),
        "fps": t("fps"),
        "fps_label": t("Frames per second"),
        "gif": t("GIF"),
        "gif_help": t("Download the animation as an animated GIF"),
        "video": t("Video"),
        "video_help": t("Download the animation as a WebM video"),
        "video_missing": t("This browser cannot encode video here: WebCodecs needs the page served over HTTPS "
                           "(or from localhost). GIF works."),
        "no_encoder": t("this browser has no video encoder here (WebCodecs needs HTTPS or localhost); GIF works "
                        "everywhere"),
        "cancel": t("Cancel"),
        "plan": t("{frames} frames · {seconds} s at {fps} fps"),
        "drawing_gif": t("drawing the GIF…"),
        "drawing_video": t("drawing the video…"),
        "made": t("{name} · {size} · {frames} frames, {width}×{height} at {fps} fps · made in {seconds} s"),
        "save_again": t("save again"),
        "cancelled": t("cancelled"),
        "cancelled_because": t("cancelled: {reason}"),
        "view_changed": t("the view changed"),
        "failed": t("could not make the file: {error}"),
        "copy": t("Copy link"),
        "copy_help": t("Copy the address of this view (every setting is in it)"),
        "copied": t("Link copied ✓"),
        "copy_failed": t("Copy failed"),
        "copy_refused": t("the browser refused the clipboard; copy the address bar instead"),
        # The band under the plots in a GIF or video.
        "band_title": t("{title}  ·  step {step} / {total}"),
    }
    s.update({f"status.{code}": t(word) for code, word in STATUSES.items()})
    s.update({f"kind.{kind}": t(style[2]) for kind, style in KIND_STYLE.items()})
    return s
