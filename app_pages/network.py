"""Network: the loss landscape of a real small network, the optimizers on it, and its Hessian's spectrum.

The sidebar picks the data set (a 2-D toy set, a real one scikit-learn ships, or the visitor's own CSV file), the
network, the start (random, or symmetric: every hidden neuron the same), the
optimizers with their learning rates, the batch size and the steps; then the plane of the slice and the point of
the spectrum.  Every widget key is its URL parameter (``network.*``).  The main area shows the trained network's
decision boundary and the training losses, the slice L(θ* + α d₁ + β d₂) through the first run's end as a contour
map and in 3-D with every run's path projected onto it, and the spectrum at a chosen step with the verdict of the
second-order test and the escape along the most negative eigenvector.  All computation is in the engine
(`landscapes.network`, `landscapes.spectrum`, `optimizers.network`), reached through `components.network.compute`.
"""

import streamlit as st

from components import controls, scaffold, titles
from components.network import compute, figures as charts, words
from components.figures import PALETTE, line_figure
from landscapes import datasets, network as N, tables

PAGE = "network"
DEFAULT_RUNS = ["adam", "momentum", "sgd"]  # the first run is θ*: Adam gets there in the default steps
UPLOAD_KEY = "network_upload.file"  # not a `network.*` key: an uploaded file never goes into the URL
LABEL_KEY = "network_upload.label"
PARSED = "_network.parsed"  # {file id: Sheet or TableError}: each file parsed once per session, in memory


def uploaded_table():
    """The uploader, the label menu, and the checked `landscapes.tables.Table` (None, with the reason shown, when
    there is no usable file yet).  Everything stays in this session's state."""
    st.caption(words.upload_limits())
    file = st.file_uploader("CSV file", type=["csv", "txt"], key=UPLOAD_KEY, help=words.UPLOAD_NOTE)
    if file is None:
        st.info("Upload a CSV file to train on it.")
        return None
    parsed = st.session_state.setdefault(PARSED, {})
    if file.file_id not in parsed:
        parsed.clear()  # one file per session
        try:
            parsed[file.file_id] = tables.read(file.getvalue(), file.name)
        except tables.TableError as err:
            parsed[file.file_id] = err
    sheet = parsed[file.file_id]
    if isinstance(sheet, tables.TableError):
        st.error(words.refusal(sheet))
        return None
    if st.session_state.get(LABEL_KEY) not in sheet.names:
        st.session_state[LABEL_KEY] = sheet.names[-1]
    label = st.selectbox("Label column (the classes)", sheet.names, key=LABEL_KEY,
                         help="The column the network learns to predict; every other numeric column is an input.")
    try:
        table = tables.table(sheet, label)
    except tables.TableError as err:
        st.error(words.refusal(err))
        return None
    st.caption(f"{table.rows:,} rows, {len(table.features)} features, {len(table.classes)} classes"
               + (f"; left out (text): {', '.join(table.ignored)}" if table.ignored else "") + ".")
    return table


frame = scaffold.Frame(PAGE)
problems: list[str] = []

# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    st.header("Network")
    dataset = controls.choice("network.data", "Data set", [*datasets.names(), *datasets.real_names(), N.UPLOAD],
                              "moons", format_func=words.data_title,
                              help=f"2-D sets: {compute.POINTS} points generated from the seed below. Real sets "
                                   f"(shipped inside scikit-learn): {datasets.HELD_OUT:.0%} of each class held out "
                                   f"(drawn from the seed), inputs standardised with the training rows' mean and "
                                   f"spread. Or your own CSV file.")
    table = uploaded_table() if dataset == N.UPLOAD else None
    arch = controls.choice("network.hidden", "Hidden layers", list(compute.ARCHITECTURES),
                           compute.DEFAULT_HIDDEN.get(dataset, "8"),
                           format_func=lambda a: f"{a.replace('-', ' × ')} neurons",
                           help="Widths of the hidden layers. The spirals need 16-16 to be learned; the digits "
                                f"train well with 32 (at most {N.MAX_PARAMS:,} parameters).")
    activation = controls.choice("network.activation", "Activation", list(N.ACTIVATIONS), "tanh")
    l2 = controls.scalar("network.l2", "Weight decay λ", 1e-3, 1e-5, 1e-1, log=True,
                         help="The loss is the softmax cross-entropy + (λ/2)‖W‖² over the weights (not the biases): "
                              "it keeps the minima at finite weights.")
    init = controls.choice("network.init", "Start", list(N.INITS), "random", format_func=N.INITS.get,
                           help="Random: Glorot-uniform weights. Symmetric: every hidden neuron starts the same, "
                                "gradient steps keep them the same, and training ends on a saddle of the full network.")
    seed = controls.number("network.seed", "Seed", 0, 0, 9999, integer=True,
                           help="Draws the data, the start, the mini-batches and the random plane.")
    try:
        problem = (N.Problem(dataset, compute.ARCHITECTURES[arch], activation, compute.POINTS, int(seed), float(l2),
                             table) if dataset != N.UPLOAD or table is not None else None)
        refused = None
    except ValueError as err:  # e.g. too many parameters for an uploaded table's width
        problem, refused = None, str(err)

    st.header("Training")
    options = compute.trainable(problem.n_params if problem is not None else 0)
    names = controls.choices("network.optimizers", "Optimizers", options, DEFAULT_RUNS, max_items=compute.MAX_RUNS,
                             format_func=titles.optimizer,
                             help=f"At most {compute.MAX_RUNS}, all from the same start. Newton-type rules only for "
                                  f"networks of at most {compute.HESSIAN_PARAMS} parameters.")
    runs = []
    for name in names:
        spec, default = compute.step_size(name)
        if spec is None:
            runs.append((name, 0.0))
            continue
        lr = controls.scalar(f"network.{name}.lr", f"{titles.optimizer(name)}: {spec.name.replace('_', ' ')}", default,
                             spec.min, spec.max, log=True, help=spec.help)
        runs.append((name, float(lr)))
    batch = controls.choice("network.batch", "Batch size", list(compute.BATCHES), "full",
                            format_func=lambda b: "full batch" if b == "full" else f"{b} points",
                            help="Each step's gradient is on a batch drawn without replacement: real mini-batch "
                                 "noise.")
    steps = controls.scalar("network.steps", "Steps", 500, 20, 2000, integer=True)

    st.header("Slice and spectrum")
    directions = controls.choice("network.plane", "Plane", list(N.DIRECTIONS), "pca",
                                 format_func=N.DIRECTIONS.get,
                                 help="Hessian eigenvectors: those of the largest and the smallest eigenvalue at θ*. "
                                      "Random, filter-normalized: two random directions scaled neuron by neuron (Li "
                                      "et al. 2018). PCA of the path: the two main directions of the training path. "
                                      "Random planes rarely show a saddle as a saddle (Böttcher & Wheeler 2022); the "
                                      "Hessian's extreme eigenvectors do.")
    grid_n = int(controls.choice("network.grid", "Grid", [str(g) for g in compute.GRIDS], "51",
                                 format_func=lambda g: f"{g} × {g}"))
    step_at = controls.scalar("network.at", "Spectrum at step", steps, 0, steps, integer=True,
                              help="A point of the first run's path: its Hessian's spectrum and verdict.")

controls.finish(PAGE)

st.title("A real network's loss landscape")
if problem is None:  # no usable upload yet (the sidebar says why), or a network too large for it
    if refused:
        st.error(f"This network cannot be built: {refused}.")
    else:
        st.info("Upload a CSV file in the sidebar (Data set: Your CSV file) to train on your own data.")
    st.caption(words.UPLOAD_NOTE)
    frame.show_notices(problems)
    st.stop()
data = N.dataset(problem)
rows = (f"{len(data.y)} training rows, {len(data.y_test)} held out" if data.y_test.size else f"{len(data.y)} points")
st.caption(f"{problem.title}: {problem.n_params:,} parameters, {rows}, {len(data.classes)} classes, softmax "
           f"cross-entropy + (λ/2)‖W‖². Bounds on this page: at most {N.MAX_PARAMS:,} parameters, {compute.MAX_RUNS} "
           f"runs, 2,000 steps, {max(compute.GRIDS)} × {max(compute.GRIDS)} grid points.")
if table is not None:
    st.caption(words.UPLOAD_NOTE)
if not runs:
    frame.show_notices(problems)
    st.info("Pick at least one optimizer in the sidebar.")
    st.stop()

config = compute.Config(problem, tuple(runs), init, int(seed), int(steps), compute.BATCHES[batch])
try:
    with st.spinner(f"Training {len(runs)} network{'s' if len(runs) > 1 else ''} for {steps} steps…"):
        fits = compute.training(config)
except Exception as err:  # noqa: BLE001 - the engine's refusal (or a failure) is shown, never a traceback
    frame.show_notices(problems)
    scaffold.engine_failed("train these networks", err)
    st.stop()

# ------------------------------------------------------------------------------------------------ training
left, right = st.columns(2)
with left:
    st.subheader("What the first run learned")
    if problem.shape[0] == 2:
        xs, ys, p = compute.boundary(config, 0)
        st.plotly_chart(charts.boundary_figure(problem, p, xs, ys), key="network.chart.boundary")
        st.caption(f"{titles.optimizer(names[0])} after {steps} steps: training accuracy "
                   f"{N.accuracy(problem, fits[0].params[-1]):.1%}; the black line is P(class 1) = 0.5.")
    else:
        scores = compute.scores(config, 0)
        st.plotly_chart(charts.confusion_figure(scores.confusion, data.classes), key="network.chart.confusion")
        st.caption(f"{titles.optimizer(names[0])} after {steps} steps: held-out accuracy {scores.held_out:.1%} on "
                   f"{len(data.y_test)} rows it never trained on (training accuracy {scores.train:.1%}). The matrix "
                   f"counts the held-out rows by true class (rows) and predicted class (columns); the diagonal is "
                   f"right.")
        if dataset in datasets.IMAGES and scores.wrong.size:
            shown = scores.wrong[:compute.MISCLASSIFIED]
            images = [data.raw(data.X_test[i]).reshape(datasets.IMAGES[dataset]) for i in shown]
            captions = [f"{data.classes[data.y_test[i]]}→{data.classes[k]}"
                      for i, k in zip(shown, scores.predicted[:compute.MISCLASSIFIED])]
            st.plotly_chart(charts.images_figure(images, captions), key="network.chart.wrong")
            st.caption(f"{len(shown)} of the {scores.wrong.size} held-out digits it gets wrong, as 8 × 8 images: "
                       f"true → predicted.")
with right:
    st.subheader("Training loss")
    st.plotly_chart(charts.loss_figure(fits, names), key="network.chart.loss")
    lines = []
    for name, fit in zip(names, fits):
        end = f"{fit.loss[-1]:.4g}"
        if fit.diverged_at >= 0:
            end += f" (diverged at step {fit.diverged_at}; the path stops there)"
        lines.append(f"{titles.optimizer(name)}: {end}")
    st.caption("Final loss: " + "; ".join(lines) + ("." if batch == "full" else
               f". Each step saw {batch} of the {len(data.y)} training rows; the curves are the full-batch loss."))

# ------------------------------------------------------------------------------------------------ the slice
st.subheader("The slice through θ*")
with st.spinner("Computing the plane and the slice…"):
    plane = compute.plane(config, 0, directions, grid_n)
net = plane.landscape.network
centre, _ = compute.point(config, 0, int(steps))
contour, surface3d = charts.plane_figures(plane, names, centre.kind)
c1, c2 = st.columns(2)
with c1:
    st.plotly_chart(contour, key="network.chart.slice")
with c2:
    st.plotly_chart(surface3d, key="network.chart.slice3d")
st.latex(r"f(\alpha, \beta) = L(\theta^\ast + \alpha\, d_1 + \beta\, d_2)")
about = words.plane_words(directions, net)
off = [float(o.max()) for o in plane.off_plane]
st.caption(f"θ* is where {titles.optimizer(names[0])} ended. {about} The paths are each θₜ's nearest point on the "
           f"plane; they lie off it by up to {max(off):.3g} (the start by {plane.off_plane[0][0]:.3g}), and off the "
           f"plane the loss is not what the contours show. In 3-D the paths are drawn at "
           f"the slice's loss, not at the loss they had.")

# ------------------------------------------------------------------------------------------------ the spectrum
st.subheader(f"The Hessian at step {step_at} of {titles.optimizer(names[0])}")
with st.spinner("Lanczos and stochastic Lanczos quadrature on Hessian-vector products…"):
    point, density = compute.point(config, 0, int(step_at))
ext = point.extremes
message = words.verdict_text(point, int(step_at))
{"saddle": st.warning, "minimum": st.success}.get(point.kind, st.info)(message)
s1, s2 = st.columns([3, 2])
with s1:
    st.plotly_chart(charts.spectrum_figure(density.grid, density.density, ext.low, ext.high),
                    key="network.chart.spectrum")
    st.caption(f"Eigenvalue density by stochastic Lanczos quadrature ({density.nodes.shape[0]} probes of "
               f"{density.nodes.shape[1]} Lanczos steps, Gaussians of width "
               f"{density.sigma:.2g}); its mean {density.moment(1):.3g} estimates trace(H)/n. Ticks: the "
               f"{len(ext.low)} smallest and largest eigenvalues by Lanczos ({ext.steps} steps"
               + (", where the Krylov space closed: they are exact)." if ext.complete else ")."))
with s2:
    st.dataframe(words.eigen_table(ext), key="network.table.eigen", hide_index=True)
if point.kind == "saddle":
    st.markdown("**Escaping along v, the eigenvector of λmin**: near θ, L(θ + t v) ≈ L(θ) + t ∇L·v + ½ λmin t², "
                "so a step along ±v goes down.")
    eps = 0.05
    t, values, stay, leave = compute.escape(config, 0, int(step_at), eps, 300)
    e1, e2 = st.columns(2)
    with e1:
        st.plotly_chart(charts.profile_figure(t, values), key="network.chart.profile")
    with e2:
        st.plotly_chart(line_figure([dict(x=range(stay.size), y=stay, label="from θ", color=PALETTE[0]),
                                     dict(x=range(leave.size), y=leave, label=f"from θ + {eps:g} v",
                                          color=PALETTE[3])], ytitle="training loss", log_y=True, height=300),
                        key="network.chart.escape")
    st.caption(f"{titles.optimizer(names[0])} for 300 more steps: from θ the loss goes from {stay[0]:.4g} to "
               f"{stay[-1]:.4g}; from θ + {eps:g} v, from {leave[0]:.4g} to {leave[-1]:.4g}.")
elif point.kind == "regular" and ext.low[0] < -point.tol:
    st.caption("The Hessian has a negative eigenvalue here, but the gradient is not zero: the run is still on its "
               "way, not stuck. Pick a later step, or a symmetric start, to see a saddle.")
if not (init == "symmetric" and dataset == "xor"):
    st.button("Show me a saddle: XOR from a symmetric start", key="network.saddle", on_click=compute.saddle_example,
              args=(st.session_state,),
              help="Every hidden neuron starts the same and stays the same: training ends on a saddle of the full "
                   "network, and a step along the negative-curvature eigenvector escapes it.")

frame.show_notices(problems)
