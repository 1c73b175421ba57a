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

from components import controls, memory, scaffold, titles
from components.i18n import t, tn
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
    file = st.file_uploader(t("CSV file"), type=["csv", "txt"], key=UPLOAD_KEY, help=words.upload_note())
    if file is None:
        st.info(t("Upload a CSV file to train on it."))
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
    label = st.selectbox(t("Label column (the classes)"), sheet.names, key=LABEL_KEY,
                         help=t("The column the network learns to predict; every other numeric column is an input."))
    try:
        table = tables.table(sheet, label)
    except tables.TableError as err:
        st.error(words.refusal(err))
        return None
    st.caption(words.table_summary(table))
    return table


frame = scaffold.Frame(PAGE)
memory.release_with_run(globals())  # this run's results go when it ends (components.memory)
problems: list[str] = []

# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    st.header(t("Network"))
    dataset = controls.choice("network.data", t("Data set"), [*datasets.names(), *datasets.real_names(), N.UPLOAD],
                              "moons", format_func=words.data_title,
                              help=t("2-D sets: {points} points generated from the seed below. Real sets (shipped "
                                     "inside scikit-learn): {held_out} of each class held out (drawn from the seed), "
                                     "inputs standardised with the training rows' mean and spread. Or your own CSV "
                                     "file.", points=compute.POINTS, held_out=f"{datasets.HELD_OUT:.0%}"))
    table = uploaded_table() if dataset == N.UPLOAD else None
    arch = controls.choice("network.hidden", t("Hidden layers"), list(compute.ARCHITECTURES),
                           compute.DEFAULT_HIDDEN.get(dataset, "8"),
                           format_func=lambda a: t("{widths} neurons", widths=a.replace("-", " × ")),
                           help=t("Widths of the hidden layers. The spirals need 16-16 to be learned; the digits "
                                  "train well with 32 (at most {limit} parameters).", limit=f"{N.MAX_PARAMS:,}"))
    activation = controls.choice("network.activation", t("Activation"), list(N.ACTIVATIONS), "tanh")
    l2 = controls.scalar("network.l2", t("Weight decay λ"), 1e-3, 1e-5, 1e-1, log=True,
                         help=t("The loss is the softmax cross-entropy + (λ/2)‖W‖² over the weights (not the "
                                "biases): it keeps the minima at finite weights."))
    init = controls.choice("network.init", t("Start"), list(N.INITS), "random", format_func=lambda i: t(N.INITS[i]),
                           help=t("Random: Glorot-uniform weights. Symmetric: every hidden neuron starts the same, "
                                  "gradient steps keep them the same, and training ends on a saddle of the full "
                                  "network."))
    seed = controls.number("network.seed", t("Seed"), 0, 0, 9999, integer=True,
                           help=t("Draws the data, the start, the mini-batches and the random plane."))
    try:
        problem = (N.Problem(dataset, compute.ARCHITECTURES[arch], activation, compute.POINTS, int(seed), float(l2),
                             table) if dataset != N.UPLOAD or table is not None else None)
        refused = None
    except ValueError as err:  # e.g. too many parameters for an uploaded table's width
        problem, refused = None, err

    st.header(t("Training"))
    options = compute.trainable(problem.n_params if problem is not None else 0)
    names = controls.choices("network.optimizers", t("Optimizers"), options, DEFAULT_RUNS,
                             max_items=compute.MAX_RUNS, format_func=titles.optimizer,
                             help=t("At most {runs}, all from the same start. Newton-type rules only for networks of "
                                    "at most {limit} parameters.", runs=compute.MAX_RUNS,
                                    limit=compute.HESSIAN_PARAMS))
    runs = []
    for name in names:
        spec, default = compute.step_size(name)
        if spec is None:
            runs.append((name, 0.0))
            continue
        lr = controls.scalar(f"network.{name}.lr", words.step_size_label(titles.optimizer(name), spec.name),
                             default, spec.min, spec.max, log=True, help=t(spec.help) if spec.help else None)
        runs.append((name, float(lr)))
    batch = controls.choice("network.batch", t("Batch size"), list(compute.BATCHES), "full",
                            format_func=lambda b: t("full batch") if b == "full" else t("{n} points", n=b),
                            help=t("Each step's gradient is on a batch drawn without replacement: real mini-batch "
                                   "noise."))
    steps = controls.scalar("network.steps", t("Steps"), 500, 20, 2000, integer=True)

    st.header(t("Slice and spectrum"))
    directions = controls.choice("network.plane", t("Plane"), list(N.DIRECTIONS), "pca",
                                 format_func=lambda d: t(N.DIRECTIONS[d]),
                                 help=t("Hessian eigenvectors: those of the largest and the smallest eigenvalue at "
                                        "θ*. Random, filter-normalized: two random directions scaled neuron by neuron "
                                        "(Li et al. 2018). PCA of the path: the two main directions of the training "
                                        "path. Random planes rarely show a saddle as a saddle (Böttcher & Wheeler "
                                        "2022); the Hessian's extreme eigenvectors do."))
    grid_n = int(controls.choice("network.grid", t("Grid"), [str(g) for g in compute.GRIDS], "51",
                                 format_func=lambda g: f"{g} × {g}"))
    step_at = controls.scalar("network.at", t("Spectrum at step"), steps, 0, steps, integer=True,
                              help=t("A point of the first run's path: its Hessian's spectrum and verdict."))

controls.finish(PAGE)

st.title(t("A real network's loss landscape"))
if problem is None:  # no usable upload yet (the sidebar says why), or a network too large for it
    if refused is not None:
        # The engine's refusal is a plain ValueError (no code to word it by): shown as code, like any engine failure.
        scaffold.engine_failed(t("build this network"), refused)
    else:
        st.info(t("Upload a CSV file in the sidebar ({label}: {entry}) to train on your own data.", label=t("Data set"),
                  entry=t(words.UPLOAD_TITLE)))
    st.caption(words.upload_note())
    frame.show_notices(problems)
    st.stop()
data = N.dataset(problem)
size = dict(title=words.problem_title(problem), params=f"{problem.n_params:,}", classes=len(data.classes))
if data.y_test.size:
    about_problem = t("{title}: {params} parameters, {rows} training rows, {held_out} held out, {classes} classes, "
                      "softmax cross-entropy + (λ/2)‖W‖².", rows=len(data.y), held_out=len(data.y_test), **size)
else:
    about_problem = t("{title}: {params} parameters, {rows} points, {classes} classes, softmax cross-entropy + "
                      "(λ/2)‖W‖².", rows=len(data.y), **size)
bounds = t("Bounds on this page: at most {params} parameters, {runs} runs, {steps} steps, {grid} × {grid} grid "
           "points.", params=f"{N.MAX_PARAMS:,}", runs=compute.MAX_RUNS, steps=f"{2000:,}", grid=max(compute.GRIDS))
st.caption(t(words.SENTENCES, first=about_problem, second=bounds))
if table is not None:
    st.caption(words.upload_note())
if not runs:
    frame.show_notices(problems)
    st.info(t("Pick at least one optimizer in the sidebar."))
    st.stop()

config = compute.Config(problem, tuple(runs), init, int(seed), int(steps), compute.BATCHES[batch])
try:
    with st.spinner(tn("Training {n} network for {steps} steps…", "Training {n} networks for {steps} steps…",
                       len(runs), n=len(runs), steps=steps)):
        fits = compute.training(config)
except Exception as err:  # noqa: BLE001 - the engine's refusal (or a failure) is shown, never a traceback
    frame.show_notices(problems)
    scaffold.engine_failed(t("train these networks"), err)
    st.stop()

# ------------------------------------------------------------------------------------------------ training
left, right = st.columns(2)
with left:
    st.subheader(t("What the first run learned"))
    if problem.shape[0] == 2:
        xs, ys, p = compute.boundary(config, 0)
        st.plotly_chart(charts.boundary_figure(problem, p, xs, ys), key="network.chart.boundary")
        st.caption(t("{name} after {steps} steps: training accuracy {accuracy}; the black line is P(class 1) = "
                     "0.5.", name=titles.optimizer(names[0]), steps=steps,
                     accuracy=f"{N.accuracy(problem, fits[0].params[-1]):.1%}"))
    else:
        scores = compute.scores(config, 0)
        st.plotly_chart(charts.confusion_figure(scores.confusion, data.classes), key="network.chart.confusion")
        st.caption(t("{name} after {steps} steps: held-out accuracy {held_out} on {rows} rows it never trained "
                     "on (training accuracy {train}). The matrix counts the held-out rows by true class (rows) and "
                     "predicted class (columns); the diagonal is right.", name=titles.optimizer(names[0]),
                     steps=steps, held_out=f"{scores.held_out:.1%}", rows=len(data.y_test),
                     train=f"{scores.train:.1%}"))
        if dataset in datasets.IMAGES and scores.wrong.size:
            shown = scores.wrong[:compute.MISCLASSIFIED]
            images = [data.raw(data.X_test[i]).reshape(datasets.IMAGES[dataset]) for i in shown]
            captions = [f"{data.classes[data.y_test[i]]}→{data.classes[k]}"
                      for i, k in zip(shown, scores.predicted[:compute.MISCLASSIFIED])]
            st.plotly_chart(charts.images_figure(images, captions), key="network.chart.wrong")
            st.caption(t("{shown} of the {wrong} held-out digits it gets wrong, as 8 × 8 images: true → predicted.",
                         shown=len(shown), wrong=scores.wrong.size))
with right:
    st.subheader(t("Training loss"))
    st.plotly_chart(charts.loss_figure(fits, names), key="network.chart.loss")
    st.caption(words.final_losses([(titles.optimizer(name), fit.loss[-1], fit.diverged_at) for name, fit in
                                   zip(names, fits)], None if batch == "full" else batch, len(data.y)))

# ------------------------------------------------------------------------------------------------ the slice
st.subheader(t("The slice through θ*"))
with st.spinner(t("Computing the plane and the slice…")):
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
st.caption(t("θ* is where {name} ended. {about} The paths are each θₜ's nearest point on the plane; they lie off "
             "it by up to {off} (the start by {start}), and off the plane the loss is not what the contours show. In "
             "3-D the paths are drawn at the slice's loss, not at the loss they had.",
             name=titles.optimizer(names[0]), about=about, off=f"{max(off):.3g}",
             start=f"{plane.off_plane[0][0]:.3g}"))

# ------------------------------------------------------------------------------------------------ the spectrum
st.subheader(t("The Hessian at step {step} of {name}", step=step_at, name=titles.optimizer(names[0])))
with st.spinner(t("Lanczos and stochastic Lanczos quadrature on Hessian-vector products…")):
    point, density = compute.point(config, 0, int(step_at))
ext = point.extremes
message = words.verdict_text(point, int(step_at), problem.n_params)
{"saddle": st.warning, "minimum": st.success}.get(point.kind, st.info)(message)
s1, s2 = st.columns([3, 2])
with s1:
    st.plotly_chart(charts.spectrum_figure(density.grid, density.density, ext.low, ext.high),
                    key="network.chart.spectrum")
    slq = dict(probes=density.nodes.shape[0], steps=density.nodes.shape[1], width=f"{density.sigma:.2g}",
               mean=f"{density.moment(1):.3g}", k=len(ext.low), lanczos=ext.steps)
    if ext.complete:
        st.caption(t("Eigenvalue density by stochastic Lanczos quadrature ({probes} probes of {steps} Lanczos steps, "
                     "Gaussians of width {width}); its mean {mean} estimates trace(H)/n. Ticks: the {k} smallest and "
                     "largest eigenvalues by Lanczos ({lanczos} steps, where the Krylov space closed: they are "
                     "exact).", **slq))
    else:
        st.caption(t("Eigenvalue density by stochastic Lanczos quadrature ({probes} probes of {steps} Lanczos steps, "
                     "Gaussians of width {width}); its mean {mean} estimates trace(H)/n. Ticks: the {k} smallest and "
                     "largest eigenvalues by Lanczos ({lanczos} steps).", **slq))
with s2:
    st.dataframe(words.eigen_table(ext), key="network.table.eigen", hide_index=True)
if point.kind == "saddle":
    st.markdown(t("**Escaping along v, the eigenvector of λmin**: near θ, L(θ + t v) ≈ L(θ) + t ∇L·v + ½ λmin t², "
                  "so a step along ±v goes down."))
    eps = 0.05
    along, values, stay, leave = compute.escape(config, 0, int(step_at), eps, 300)
    e1, e2 = st.columns(2)
    with e1:
        st.plotly_chart(charts.profile_figure(along, values), key="network.chart.profile")
    with e2:
        st.plotly_chart(line_figure([dict(x=range(stay.size), y=stay, label=t("from θ"), color=PALETTE[0]),
                                     dict(x=range(leave.size), y=leave, label=t("from θ + {eps} v", eps=f"{eps:g}"),
                                          color=PALETTE[3])], ytitle=t("training loss"), log_y=True, height=300),
                        key="network.chart.escape")
    st.caption(t("{name} for {steps} more steps: from θ the loss goes from {stay_start} to {stay_end}; from θ + "
                 "{eps} v, from {leave_start} to {leave_end}.", name=titles.optimizer(names[0]), steps=300,
                 stay_start=f"{stay[0]:.4g}", stay_end=f"{stay[-1]:.4g}", eps=f"{eps:g}",
                 leave_start=f"{leave[0]:.4g}", leave_end=f"{leave[-1]:.4g}"))
elif point.kind == "regular" and ext.low[0] < -point.tol:
    st.caption(t("The Hessian has a negative eigenvalue here, but the gradient is not zero: the run is still on its "
                 "way, not stuck. Pick a later step, or a symmetric start, to see a saddle."))
if not (init == "symmetric" and dataset == "xor"):
    st.button(t("Show me a saddle: XOR from a symmetric start"), key="network.saddle",
              on_click=compute.saddle_example, args=(st.session_state,),
              help=t("Every hidden neuron starts the same and stays the same: training ends on a saddle of the full "
                     "network, and a step along the negative-curvature eigenvector escapes it."))

frame.show_notices(problems)
