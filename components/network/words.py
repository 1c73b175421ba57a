"""What the Network page writes, in the visitor's language (`components.i18n`): the data-set menu's entries, an
upload's limits and refusals, the problem's title, the plane, the eigenvalue table and the verdict.  Each sentence
is one message with named placeholders, composed from the engine's data (codes, kinds, numbers), never from its
English prose."""

from __future__ import annotations

from components.i18n import N_, t
from landscapes import datasets, network as N, tables

# Registry texts this page shows that the engine domain does not extract (`tools.messages` takes the 2-D sets'
# titles only): marked here so they are translated with this page, and shown as ``t(registry text)``, so the
# registry stays their one home (tests/test_i18n_network.py checks these are its words).
REGISTRY_TEXTS = (
    N_("Handwritten digits (8×8)"), N_("Iris"), N_("Wine"), N_("Breast cancer (Wisconsin)"),  # datasets.REAL
    N_("Random (Glorot)"), N_("Symmetric"),  # network.INITS
    N_("Hessian eigenvectors"), N_("Random, filter-normalized"), N_("PCA of the path"),  # network.DIRECTIONS
)

UPLOAD_TITLE = N_("Your CSV file")

STEP_SIZES = {"learning_rate": N_("learning rate"), "max_learning_rate": N_("max learning rate")}
"""The step-size hyperparameters' names (`optimizers.network.step_size_name`) as words."""

# i18n: the separator of a list of clauses ("Adam: 0.12; Momentum: 0.3")
CLAUSES = N_("; ")
# i18n: the separator of a list of names (column names)
NAMES = N_(", ")
# i18n: two sentences (or paragraphs' worth of sentences) one after the other
SENTENCES = N_("{first} {second}")


def data_title(name: str) -> str:
    """The data-set menu's entry."""
    return t(UPLOAD_TITLE) if name == N.UPLOAD else t(datasets.title(name))


def problem_title(problem: N.Problem) -> str:
    """The data set (an upload's file name) and the network, e.g. "Two moons, MLP 2–8–1 tanh"."""
    name = problem.table.name if problem.table is not None else data_title(problem.dataset)
    return t("{data}, MLP {architecture}", data=name, architecture=problem.architecture)


def step_size_label(optimizer: str, param: str) -> str:
    """The label of a run's step-size slider, e.g. "Adam: learning rate"."""
    words = t(STEP_SIZES[param]) if param in STEP_SIZES else param.replace("_", " ")
    return t("{name}: {what}", name=optimizer, what=words)


def upload_limits() -> str:
    """The limits of an uploaded file, as the page states them."""
    return t("A CSV file (comma, semicolon or tab separated, UTF-8) of at most {rows} rows, {features} numeric feature "
             "columns and {classes} classes, {megabytes} MB; numbers within ±{limit}, no missing values. One column is "
             "the label (the classes); every other numeric column is a feature, text columns are left out.",
             rows=f"{tables.MAX_ROWS:,}", features=tables.MAX_FEATURES, classes=tables.MAX_CLASSES,
             megabytes=f"{tables.MAX_BYTES / 1e6:g}", limit=f"{tables.MAX_ABS:.0e}")


def upload_note() -> str:
    """Where an uploaded file goes (nowhere), and why a shared link asks for it again."""
    return t("The file stays in this browser session only: it is parsed in memory, nothing is written to disk, and "
             "what is computed from it is kept in this session's state and dropped with it. A shared link cannot "
             "carry an uploaded file: it opens with this menu on “{entry}” and asks for one.", entry=t(UPLOAD_TITLE))


def table_summary(table: tables.Table) -> str:
    """An accepted upload in one line: its size and the text columns left out."""
    size = dict(rows=f"{table.rows:,}", features=len(table.features), classes=len(table.classes))
    if table.ignored:
        return t("{rows} rows, {features} features, {classes} classes; left out (text): {columns}.",
                 columns=t(NAMES).join(table.ignored), **size)
    return t("{rows} rows, {features} features, {classes} classes.", **size)


def refusal(err) -> str:
    """One sentence for a `landscapes.tables.TableError`: what is wrong with the file, and where."""
    d = err.details
    return {
        "too_big": lambda: t("The file is {size} MB; at most {limit} MB are read.", size=f"{d['size'] / 1e6:.1f}",
                             limit=f"{d['limit'] / 1e6:g}"),
        "not_text": lambda: t("This is not a CSV file: it is not UTF-8 text (a spreadsheet or an image?). Save it as "
                              "CSV and upload that."),
        "empty": lambda: t("The file has no data rows."),
        "ragged": lambda: t("This does not read as a CSV table: line {line} has {cells} cells where the first line "
                            "has {expected}.", line=d["line"], cells=d["cells"], expected=d["expected"]),
        "one_column": lambda: t("The file has a single column: a table needs at least one feature and a label."),
        "too_few_rows": lambda: t("The file has {rows} data rows; at least {limit} are needed.", rows=d["rows"],
                                  limit=d["limit"]),
        "too_many_rows": lambda: t("The file has {rows} data rows; at most {limit} are allowed.",
                                   rows=f"{d['rows']:,}", limit=f"{d['limit']:,}"),
        "too_many_columns": lambda: t("The file has {columns} columns; at most {limit} ({features} features and the "
                                      "label) are allowed.", columns=d["columns"], limit=d["limit"],
                                      features=d["limit"] - 1),
        "unknown_label": lambda: t("Pick the label column in the menu."),
        "no_numeric": lambda: t("No column other than the label holds numbers only: there are no features to learn "
                                "from."),
        "missing": lambda: t("Column “{column}” has a missing value in data row {row} ({count} missing in all); fill "
                             "or remove them first.", column=d["column"], row=d["row"], count=d["count"]),
        "huge": lambda: t("Column “{column}”, data row {row}, holds {value}: numbers beyond ±{limit} (an id or a "
                          "timestamp?) are not used as features.", column=d["column"], row=d["row"],
                          value=f"{d['value']:.3g}", limit=f"{d['limit']:.0e}"),
        "one_class": lambda: t("The label column “{label}” has one value only: there is nothing to classify.",
                               label=d["label"]),
        "too_many_classes": lambda: t("The label column “{label}” has {values} classes; at most {limit} are allowed.",
                                      label=d["label"], values=d["values"], limit=d["limit"]),
        "label_values": lambda: t("The label column “{label}” has {values} different values: it looks like a "
                                  "measurement, not classes. Pick a column of at most {limit} classes.",
                                  label=d["label"], values=d["values"], limit=d["limit"]),
        "tiny_class": lambda: t("Class “{value}” of “{label}” has a single row: every class needs at least two (one "
                                "to learn, one to hold out).", value=d["value"], label=d["label"]),
    }[err.code]()


def final_losses(runs, batch: str | None, rows: int) -> str:
    """The training caption: each run's final loss (``runs``: (title, loss, diverged_at: step or −1)), and with a
    mini-``batch`` what each step saw of the ``rows`` training rows."""
    lines = []
    for title, loss, diverged_at in runs:
        end = dict(name=title, value=f"{loss:.4g}")
        if diverged_at >= 0:
            lines.append(t("{name}: {value} (diverged at step {step}; the path stops there)", step=diverged_at, **end))
        else:
            lines.append(t("{name}: {value}", **end))
    if batch is None:
        return t("Final loss: {runs}.", runs=t(CLAUSES).join(lines))
    return t("Final loss: {runs}. Each step saw {batch} of the {rows} training rows; the curves are the full-batch "
             "loss.", runs=t(CLAUSES).join(lines), batch=batch, rows=rows)


def plane_words(directions: str, net) -> str:
    """What d₁ and d₂ are, for the slice's caption."""
    if directions == "hessian":
        lam_max, lam_min = net.eigenvalues
        values = dict(high=f"{lam_max:.3g}", low=f"{lam_min:.3g}")
        if lam_min < 0:
            return t("d₁ and d₂ are the unit eigenvectors of the largest and smallest eigenvalue of ∇²L(θ*) (λmax = "
                     "{high}, λmin = {low}, by Lanczos): the sharpest and the flattest direction at θ*. Along d₂ the "
                     "loss curves down, but only near θ*: the box is zoomed to that dip, and the paths come from far "
                     "outside it.", **values)
        return t("d₁ and d₂ are the unit eigenvectors of the largest and smallest eigenvalue of ∇²L(θ*) (λmax = "
                 "{high}, λmin = {low}, by Lanczos): the sharpest and the flattest direction at θ*.", **values)
    if directions == "filter":
        return t("d₁ and d₂ are random, filter-normalized (each neuron's incoming weights scaled to that neuron's norm "
                 "in θ*, biases 0) and orthogonal neuron by neuron (Li et al. 2018).")
    return t("d₁ and d₂ are the first two principal directions of the first run's path θₜ − θ*; they hold {first} "
             "and {second} of its variance.", first=f"{net.explained[0]:.1%}", second=f"{net.explained[1]:.1%}")


def eigen_table(ext) -> dict[str, list[str]]:
    """The extreme eigenvalues and their residuals as text columns (the residuals are ~1e-17: plain decimals
    would show zeros)."""
    values = [*ext.low, *ext.high]
    residuals = [*ext.low_residuals, *ext.high_residuals]
    return {t("eigenvalue λ"): [f"{v:.4g}" for v in values], "‖Hu − λu‖": [f"{r:.1e}" for r in residuals]}


def curvature(point) -> str:
    """What the Hessian's extremes alone make of θ (``landscapes.network.classify_point``'s test without the
    gradient): the verdict of a critical point, and what a non-critical point's curvature would make."""
    # Issue 27 gives `NetworkPoint` its reason as data (`verdict.curvature`); until then the test is repeated
    # here, and tests/test_i18n_network.py checks the English sentence equals the engine's `reason`.
    if point.kind != "regular":
        return point.kind
    lo, hi, tol = float(point.extremes.low[0]), float(point.extremes.high[-1]), point.tol
    if lo < -tol and hi > tol:
        return "saddle"
    if lo > tol:
        return "minimum"
    return "maximum" if hi < -tol else "degenerate"


def verdict_text(point, step: int, n_params: int) -> str:
    """The verdict at step ``step`` in one paragraph (Markdown), from the point's kind and numbers (``n_params``:
    the network's, for a Lanczos estimate's "of n dimensions")."""
    ext = point.extremes
    span = dict(low=f"{float(ext.low[0]):.3g}", high=f"{float(ext.high[-1]):.3g}")
    if ext.complete:
        values = t("λmin = {low}, λmax = {high}", **span)
    else:
        values = t("λmin = {low}, λmax = {high}; Lanczos estimates from {used} of {n} dimensions", used=ext.steps,
                   n=n_params, **span)
    tol = f"{point.tol:.1g}"
    gtol = f"{N.GTOL:g}"
    if point.kind == "regular":
        norm = f"{point.grad_norm:.3g}"
        return {
            "saddle": lambda: t("θ at step {step} is not a critical point: ‖∇L‖ = {norm} > {gtol}. The curvature "
                                "there would make a saddle: the Hessian has negative and positive eigenvalues "
                                "({values}): the loss curves down along the eigenvector of λmin and up along that of "
                                "λmax.", step=step, norm=norm, gtol=gtol, values=values),
            "minimum": lambda: t("θ at step {step} is not a critical point: ‖∇L‖ = {norm} > {gtol}. The curvature "
                                 "there would make a minimum: every eigenvalue is positive ({values}, tolerance "
                                 "±{tol}).", step=step, norm=norm, gtol=gtol, values=values, tol=tol),
            "maximum": lambda: t("θ at step {step} is not a critical point: ‖∇L‖ = {norm} > {gtol}. The curvature "
                                 "there would make a maximum: every eigenvalue is negative ({values}).", step=step,
                                 norm=norm, gtol=gtol, values=values),
            "degenerate": lambda: t("θ at step {step} is not a critical point: ‖∇L‖ = {norm} > {gtol}. The curvature "
                                    "there would make a degenerate: no eigenvalue is negative beyond the tolerance "
                                    "±{tol}, and the smallest is within it ({values}): the second-order test cannot "
                                    "decide; the loss is flat to second order along its eigenvector.", step=step,
                                    norm=norm, gtol=gtol, values=values, tol=tol),
        }[curvature(point)]()
    norm = f"{point.grad_norm:.2g}"
    return {
        "saddle": lambda: t("θ at step {step} is **a saddle point**: ‖∇L‖ = {norm} ≤ {gtol}, and the Hessian has "
                            "negative and positive eigenvalues ({values}): the loss curves down along the eigenvector "
                            "of λmin and up along that of λmax.", step=step, norm=norm, gtol=gtol, values=values),
        "minimum": lambda: t("θ at step {step} is **a minimum**: ‖∇L‖ = {norm} ≤ {gtol}, and every eigenvalue is "
                             "positive ({values}, tolerance ±{tol}).", step=step, norm=norm, gtol=gtol, values=values,
                             tol=tol),
        "maximum": lambda: t("θ at step {step} is **a maximum**: ‖∇L‖ = {norm} ≤ {gtol}, and every eigenvalue is "
                             "negative ({values}).", step=step, norm=norm, gtol=gtol, values=values),
        "degenerate": lambda: t("θ at step {step} is **degenerate (the second-order test cannot decide)**: ‖∇L‖ = "
                                "{norm} ≤ {gtol}, and no eigenvalue is negative beyond the tolerance ±{tol}, and the "
                                "smallest is within it ({values}): the second-order test cannot decide; the loss is "
                                "flat to second order along its eigenvector.", step=step, norm=norm, gtol=gtol,
                                values=values, tol=tol),
    }[point.kind]()
