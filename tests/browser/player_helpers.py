"""Helpers shared by the browser tests that drive the trajectory player."""

IFRAME = "iframe[title*='player']"


def page_point(page, frame, x, y, panel=0):
    """Page pixel of the data point (x, y) in plot panel `panel`, by Plotly's own axis maps."""
    px, py = frame.evaluate(
        """([x, y, i]) => {
            const gd = document.querySelectorAll('.js-plotly-plot')[i], fl = gd._fullLayout, r = gd.getBoundingClientRect();
            return [r.left + fl.xaxis._offset + fl.xaxis.l2p(x), r.top + fl.yaxis._offset + fl.yaxis.l2p(y)];
        }""", [x, y, panel])
    box = page.locator(IFRAME).bounding_box()
    return box["x"] + px, box["y"] + py


def play_to_end(frame, steps: int, wait_ms: int) -> None:
    """Play the animation at 4x speed and wait until it stops on the last step."""
    frame.locator("#speed").select_option("4")
    frame.locator("#play").click()
    frame.wait_for_function("() => window.playerState.playing", timeout=wait_ms)
    frame.wait_for_function(f"() => !window.playerState.playing && window.playerState.frame === {steps}",
                            timeout=wait_ms)
