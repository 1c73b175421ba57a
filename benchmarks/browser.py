"""Browser benchmark: slider-to-drawn latency of the compare page against a native Plotly baseline, bytes per
rerun, the page script's own time, and the time from server start to the first frame drawn.

A plain script: ``python benchmarks/browser.py``.  It starts its own ``streamlit run`` servers on free ports and
drives headless Chromium with Playwright (the server and browser settings of tests/browser/conftest.py).
Measured in one run, on the same machine:

* Latency: a learning-rate slider is moved one notch down (keyboard ArrowLeft) ``MOVES`` times on each page, so
  every move asks the engine for a new run (down, because from the default a few notches up gradient descent
  diverges at once and its drawn path stops changing).  Each time the clock runs from the key press until the
  optimizer paths drawn on screen have changed (see SIGNATURE).  Ours: the compare page (`app.py`), whose player
  receives the new trajectories and redraws its canvas in its iframe.  Baseline: benchmarks/apps/baseline_plotly.py,
  a NumPy + native-Plotly peer: the same trajectories, computed by NumPy loops of the course rules, drawn as
  ``st.plotly_chart`` with cumulative Plotly frames.  Both start from the same view (valley, six optimizers,
  200 steps).  The moves alternate between the two
  pages, so that both see the same load on a shared machine.  Prints both medians and ours / baseline (target
  <= 0.5).
* Bytes per rerun for 8 optimizers x 1000 steps: ``player.payload_size`` of what the page sends the player, and
  the WebSocket bytes the browser actually received for one slider move on the page in that configuration.
* The page script's own time for a warm rerun after a slider move (AppTest, in this process).
* Live scrub (issue 15): in the compare page's player, the median time from an ``input`` event on the scrub to
  the canvas repainted with that notch's paths (the handler decodes the notch's arrays the first time, swaps the
  paths and repaints synchronously), over every notch; next to it, the time to the next animation frame.  The
  scrub's payload for the default view (6 optimizers x 64 notches x 200 steps).  And the warm engine time of
  `optimizers.run_grid` for those runs against looping `optimizers.run` over the same values (target >= 20x).
* Export (issue 17): the compare page's default view (6 optimizers x 200 steps, so 201 frames), GIF and WebM at
  600 x 450 and 20 fps, overlaid and side by side: the player's own encoding time (playerState.lastExport, from the
  click to the file), against the baseline of playing the animation at that rate (frames / fps; target: faster,
  i.e. < 10 s for the GIF), and the file sizes.  ``python benchmarks/browser.py --export`` runs this part alone.
* Time from server start (process spawn, plain ``streamlit run app.py``, no warm-up) to the paths drawn by the
  player, with an empty JAX compilation cache (cold) and again with the cache that first start filled (a restart);
  benchmarks/first_frame.py measures the first frame the way ``make run`` serves it, against the peer.
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _Server  # noqa: E402  (the tests' server harness)

MOVES = 21
LOAD_MS = 240_000
WAIT_MS = 60_000
SETTLE_S = 0.4  # after each drawn update, let the rerun finish before the next move
EIGHT = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "lion")
PLAYER = "iframe[title*='player']"
VIEWPORT = {"width": 1280, "height": 1100}

# What changes exactly when new paths have been drawn.  The baseline: the SVG path data of every scatter line Plotly
# has drawn.  Ours: the player's draw counter, which render() increments after it has painted the new routes on its
# canvas (synchronously, like Plotly's SVG update); a render with unchanged arguments returns before counting.
SIGNATURE = """() => Array.from(document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-line'),
                                 p => p.getAttribute('d') || '').join('|')"""
SIGNATURE_OURS = "() => String(window.playerState.drawCount)"


# ------------------------------------------------------------------------------------------------ servers, pages
def start_server(app: str, log_name: str, jax_cache: str | None = None) -> tuple[_Server, float]:
    """Spawn ``streamlit run app`` (with ``JAX_CACHE_DIR=jax_cache`` if given); returns it and the spawn time."""
    old = os.environ.get("JAX_CACHE_DIR")
    if jax_cache is not None:
        os.environ["JAX_CACHE_DIR"] = jax_cache
    try:
        t0 = time.perf_counter()
        server = _Server(ROOT / app, Path(tempfile.gettempdir()) / log_name)
    finally:
        if jax_cache is not None:
            if old is None:
                os.environ.pop("JAX_CACHE_DIR", None)
            else:
                os.environ["JAX_CACHE_DIR"] = old
    server.wait()
    return server, t0


def player_frame(page):
    frame = page.wait_for_selector(PLAYER, timeout=LOAD_MS).content_frame()
    # The paths, not the surface the page may show first while it compiles them (playerState.pending).
    drawn = "() => window.playerState && window.playerState.drawCount > 0 && !window.playerState.pending"
    frame.wait_for_function(drawn, timeout=LOAD_MS)
    return frame


def open_ours(browser, base: str, query: str = "", received: list | None = None):
    """The compare page with gradient descent's hyperparameters unfolded: (context, page, frame, slider)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if received is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(base + "/" + query)
    frame = player_frame(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has_text="Gradient descent").locator("summary").click()
    return context, page, frame, page.locator(".st-key-compare-sgd-learning_rate input[type='range']")


def open_baseline(browser, base: str, received: list | None = None):
    """The baseline page: (context, page, page, slider)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if received is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(base + "/")
    page.wait_for_function(f"() => ({SIGNATURE})().length > 0", timeout=LOAD_MS)
    return context, page, page, page.locator(".st-key-baseline-sgd-learning_rate input[type='range']")


def one_move(page, doc, slider, key: str = "ArrowRight") -> float:
    """Seconds from one ``key`` press on ``slider`` until the drawn paths in ``doc`` (the page, or the player's
    frame) changed."""
    signature = SIGNATURE if doc is page else SIGNATURE_OURS
    before = doc.evaluate(signature)
    slider.focus()
    t0 = time.perf_counter()
    slider.press(key)
    doc.wait_for_function(f"(old) => ({signature})() !== old", arg=before, timeout=WAIT_MS, polling="raf")
    elapsed = time.perf_counter() - t0
    time.sleep(SETTLE_S)
    return elapsed


# ------------------------------------------------------------------------------------------------ measurements
def latencies(browser, ours_base: str, baseline_base: str) -> tuple[list[float], list[float], int]:
    """``MOVES`` slider moves on each page, alternating; also the baseline's WebSocket bytes per move."""
    received: list[int] = []
    ours = open_ours(browser, ours_base)
    base = open_baseline(browser, baseline_base, received)
    time.sleep(2.0)
    received.clear()
    times_ours, times_base = [], []
    for _ in range(MOVES):
        times_ours.append(one_move(*ours[1:], "ArrowLeft"))
        times_base.append(one_move(*base[1:], "ArrowLeft"))
    time.sleep(1.0)
    ours[0].close()
    base[0].close()
    return times_ours, times_base, sum(received) // MOVES


def bytes_on_the_wire(browser, base: str) -> int:
    """WebSocket bytes received for one slider move with 8 optimizers x 1000 steps (whole rerun, all elements)."""
    received: list[int] = []
    context, page, frame, slider = open_ours(
        browser, base, "?compare.optimizers=" + "%2C".join(EIGHT) + "&compare.steps=1000", received)
    time.sleep(2.0)
    received.clear()
    one_move(page, frame, slider)
    time.sleep(1.0)
    context.close()
    return sum(received)


def time_to_first_frame(browser, jax_cache: str, label: str) -> float:
    """Seconds from spawning a fresh server to the player's first drawn frame in a fresh browser context."""
    server, t0 = start_server("app.py", f"bench-first-frame-{label}.log", jax_cache)
    try:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(server.base + "/")
        player_frame(page)
        elapsed = time.perf_counter() - t0
        context.close()
        return elapsed
    finally:
        server.stop()


_SCRUB_TIMING = """async () => {
  const input = document.querySelector("input[data-role='scrub']");
  const n = Number(input.max) + 1, handler = [], frame = [];
  for (let k = 0; k < n; k++) {
    const i = (window.playerState.scrub.index + 1 + k) % n;
    await new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    input.value = String(i);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(r));
    handler.push(t1 - t0); frame.push(performance.now() - t0);
    if (window.playerState.scrub.index !== i) throw new Error("notch " + i + " not shown");
  }
  return { handler: handler, frame: frame };
}"""


def scrub_repaint(browser, base: str) -> dict:
    """Per notch: ms from the scrub's input event to the repainted canvas (handler), and to the next frame."""
    context, _, frame, _ = open_ours(browser, base, "?compare.scrub=learning_rate")
    try:
        frame.wait_for_function("() => window.playerState.scrub !== null", timeout=WAIT_MS)
        return frame.evaluate(_SCRUB_TIMING)
    finally:
        context.close()


def scrub_engine() -> tuple[float, float, int]:
    """Warm seconds of run_grid (6 optimizers x 64 notches x 200 steps, one call each) vs looping run, medians of
    5, and the scrub payload (base64 characters) those runs make."""
    import landscapes
    import optimizers
    from components import controls, first_view, scrub
    from components.player import encode_array


    surface = landscapes.get(first_view.SURFACE)
    land = landscapes.shared_family(surface)
    rates = {n: optimizers.presets.defaults(surface, n)["learning_rate"] for n in first_view.OPTIMIZERS}
    options = {}
    for n in first_view.OPTIMIZERS:
        (h,) = [h for h in optimizers.get(n).hyperparams if h.name == "learning_rate"]
        options[n] = controls.slider_options(h.min, h.max, rates[n], h.log)
    s = scrub.build("learning_rate", "η", options, rates, scrub.MAX_NOTCHES)
    grids = lambda: {n: optimizers.run_grid(land, n, steps=200, axis=("learning_rate", s.values[n]))  # noqa: E731
                     for n in first_view.OPTIMIZERS}
    loop = lambda: {n: [optimizers.run(land, n, steps=200, learning_rate=float(v)) for v in s.values[n]]  # noqa
                    for n in first_view.OPTIMIZERS}
    runs = grids()
    loop()  # warm both
    t_grid, t_loop = [], []
    for _ in range(5):
        t0 = time.perf_counter(); grids(); t_grid.append(time.perf_counter() - t0)  # noqa: E702
        t0 = time.perf_counter(); loop(); t_loop.append(time.perf_counter() - t0)  # noqa: E702
    payload = scrub.payload_bytes(scrub.payload(s, runs, encode_array))
    return statistics.median(t_grid), statistics.median(t_loop), payload


def export_timing(browser, base: str) -> list[dict]:
    """GIF and WebM of the compare page's default view at 600 x 450, 20 fps, in both layouts: playerState.lastExport
    of each (encoding seconds, bytes, frames), measured by the player from the click to the finished file."""
    out = []
    for query in ("", "?compare.layout=side_by_side"):
        context, page, frame, _ = open_ours(browser, base, query)
        try:
            frame.locator("#export-size").select_option("600x450")
            frame.locator("#export-fps").select_option("20")
            for button in ("#export-gif", "#export-video"):
                with page.expect_download(timeout=WAIT_MS):
                    frame.locator(button).click()
                frame.wait_for_function("() => !window.playerState.exporting", timeout=WAIT_MS)
                done = frame.evaluate("() => window.playerState.lastExport")
                if "error" in done:
                    raise RuntimeError(done["error"])
                done["layout"] = "side by side" if query else "overlaid"
                done["panels"] = frame.locator(".panel").count()
                out.append(done)
        finally:
            context.close()
    return out


def print_export(results: list[dict]) -> None:
    print("export from the player, 600 x 450 at 20 fps (compare page default: 6 optimizers x 200 steps):")
    for r in results:
        play = r["frames"] / r["fps"]
        print(f"  {r['format']:4s} {r['layout']:12s} ({r['panels']} panels) {r['frames']:4d} frames  "
              f"encoded in {r['seconds']:6.2f} s   playing it takes {play:5.2f} s   "
              f"ratio play / encode {play / r['seconds']:5.1f}x   {r['bytes'] / 1e6:6.2f} MB"
              + ("   (target GIF < 10 s)" if r["format"] == "gif" else ""))


def player_payload_bytes() -> int:
    """``player.payload_size`` for the page's grid and 8 optimizers x 1000 steps on the default surface."""
    import landscapes
    from components import figures, player
    from landscapes import analysis
    from optimizers import catalog

    from optimizers import engine as run
    surface = landscapes.get("elongated_valley")
    xs, ys, z = analysis.evaluate_grid(surface, n=importlib.import_module("components.surfaces").GRID_N)
    paths = []
    for i, name in enumerate(EIGHT):
        traj = run.run(surface, name, steps=1000)
        paths.append({"name": name, "label": catalog.get(name).title, "color": figures.PALETTE[i], "xy": traj.xy,
                      "loss": traj.loss, "grad_norm": traj.grad_norm, "learning_rate": traj.learning_rate,
                      "status": traj.status})
    return player.payload_size({"x": xs, "y": ys, "z": z}, paths)


_TIMED_PAGE = """
import sys, time
sys.path.insert(0, {root!r})
import streamlit as st
st.set_page_config(layout="wide")
code = compile(open({page!r}).read(), {page!r}, "exec")
t0 = time.perf_counter()
exec(code, {{"__name__": "__main__", "__file__": {page!r}}})
st.session_state.setdefault("_bench_seconds", []).append(time.perf_counter() - t0)
"""


def page_script_seconds(moves: int = MOVES) -> list[float]:
    """Server-side time of the compare page's script for reruns that follow a one-notch move down of the gradient
    descent learning-rate slider (one new engine run each), measured in-process with AppTest."""
    from streamlit.testing.v1 import AppTest

    from components import controls
    from optimizers import catalog

    (eta,) = [h for h in catalog.get("sgd").hyperparams if h.name == "learning_rate"]
    grid = controls.log_grid(eta.min, eta.max, eta.default)
    first = grid.index(eta.default)
    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        wrapper = Path(tmp) / "timed_compare.py"
        wrapper.write_text(_TIMED_PAGE.format(root=str(ROOT), page=str(ROOT / "app_pages" / "compare.py")))
        at = AppTest.from_file(str(wrapper), default_timeout=300)
        at.run()
        at.run()  # warm: everything the default view needs is compiled and cached
        for k in range(1, moves + 1):
            at.select_slider(key="compare.sgd.learning_rate").set_value(grid[first - k]).run()
        if at.exception:
            raise RuntimeError(at.exception)
        return list(at.session_state["_bench_seconds"][2:])


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing (apt-get install chromium)")
    if "--export" in sys.argv[1:]:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            server, _ = start_server("app.py", "bench-export.log")
            try:
                print_export(export_timing(browser, server.base))
            finally:
                server.stop()
                browser.close()
        return
    with tempfile.TemporaryDirectory(prefix="bench-jax-cache-") as fresh_cache, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        cold = time_to_first_frame(browser, fresh_cache, "cold")
        warm = time_to_first_frame(browser, fresh_cache, "restart")

        ours_server, _ = start_server("app.py", "bench-ours.log")
        base_server, _ = start_server("benchmarks/apps/baseline_plotly.py", "bench-baseline.log")
        try:
            ours, baseline, baseline_bytes = latencies(browser, ours_server.base, base_server.base)
            wire = bytes_on_the_wire(browser, ours_server.base)
            scrub_times = scrub_repaint(browser, ours_server.base)
            exports = export_timing(browser, ours_server.base)
        finally:
            ours_server.stop()
            base_server.stop()
        browser.close()

    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # st.cache_* outside a server would warn
    payload = player_payload_bytes()
    script = page_script_seconds()
    t_grid, t_loop, scrub_bytes = scrub_engine()
    m_ours, m_base = statistics.median(ours), statistics.median(baseline)
    print(f"slider move -> paths drawn, median over {MOVES} moves each, alternating (6 optimizers x 200 steps):")
    print(f"  ours (trajectory player)           {m_ours * 1000:8.0f} ms")
    print(f"  baseline (st.plotly_chart, frames) {m_base * 1000:8.0f} ms")
    print(f"  ratio ours / baseline              {m_ours / m_base:8.2f}   (target <= 0.5)")
    print("bytes per rerun, 8 optimizers x 1000 steps:")
    print(f"  player.payload_size                {payload:8d} B   (target <= 1 MB)")
    print(f"  WebSocket bytes, one slider move   {wire:8d} B   (the whole page rerun)")
    print(f"  baseline WebSocket bytes per move  {baseline_bytes:8d} B   (6 optimizers x 200 steps)")
    print(f"page script, warm rerun after a slider move: median {statistics.median(script) * 1000:.0f} ms over "
          f"{len(script)} reruns   (target well under 150 ms)")
    print(f"live scrub, {len(scrub_times['handler'])} notches (6 optimizers x 64 notches x 200 steps):")
    print(f"  input event -> canvas repainted    {statistics.median(scrub_times['handler']):8.2f} ms median, "
          f"max {max(scrub_times['handler']):.1f} ms   (target <= 16 ms)")
    print(f"  input event -> next frame          {statistics.median(scrub_times['frame']):8.2f} ms median")
    print(f"  scrub payload (base64)             {scrub_bytes:8d} B   (bound 2 MB)")
    print(f"  slider rerun, for comparison       {m_ours * 1000:8.0f} ms (above)")
    print(f"  run_grid warm                      {t_grid * 1000:8.1f} ms (6 calls)")
    print(f"  looping run warm                   {t_loop * 1000:8.1f} ms (384 calls)")
    print(f"  ratio loop / run_grid              {t_loop / t_grid:8.1f}x   (target >= 20x)")
    print_export(exports)
    print("server start -> first frame drawn by the player:")
    print(f"  empty JAX compilation cache        {cold:8.1f} s")
    print(f"  restart with that cache filled     {warm:8.1f} s")


if __name__ == "__main__":
    main()
