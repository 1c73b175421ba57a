"""What the Network page writes: the data-set menu's entries, an upload's limits and refusals, the plane, the
eigenvalue table and the verdict."""

from __future__ import annotations



from landscapes import datasets, network as N, tables


def data_title(name: str) -> str:
    """The data-set menu's entry."""
    return UPLOAD_TITLE if name == N.UPLOAD else datasets.title(name)


UPLOAD_TITLE = "Your CSV file"


def upload_limits() -> str:
    """The limits of an uploaded file, as the page states them."""
    return (f"A CSV file (comma, semicolon or tab separated, UTF-8) of at most {tables.MAX_ROWS:,} rows, "
            f"{tables.MAX_FEATURES} numeric feature columns and {tables.MAX_CLASSES} classes, "
            f"{tables.MAX_BYTES / 1e6:g} MB; numbers within ±{tables.MAX_ABS:.0e}, no missing values. One column is the "
            f"label (the classes); every other numeric column is a feature, text columns are left out.")


UPLOAD_NOTE = ("The file stays in this browser session only: it is parsed in memory, nothing is written to disk, and "
               "what is computed from it is kept in this session's state and dropped with it. A shared link cannot "
               "carry an uploaded file: it opens with this menu on “Your CSV file” and asks for one.")


def refusal(err) -> str:
    """One sentence for a `landscapes.tables.TableError`: what is wrong with the file, and where."""
    d = err.details
    return {
        "too_big": lambda: f"The file is {d['size'] / 1e6:.1f} MB; at most {d['limit'] / 1e6:g} MB are read.",
        "not_text": lambda: "This is not a CSV file: it is not UTF-8 text (a spreadsheet or an image?). Save it as "
                            "CSV and upload that.",
        "empty": lambda: "The file has no data rows.",
        "ragged": lambda: f"This does not read as a CSV table: line {d['line']} has {d['cells']} cells where the "
                          f"first line has {d['expected']}.",
        "one_column": lambda: "The file has a single column: a table needs at least one feature and a label.",
        "too_few_rows": lambda: f"The file has {d['rows']} data rows; at least {d['limit']} are needed.",
        "too_many_rows": lambda: f"The file has {d['rows']:,} data rows; at most {d['limit']:,} are allowed.",
        "too_many_columns": lambda: f"The file has {d['columns']} columns; at most {d['limit']} (64 features and the "
                                    f"label) are allowed.",
        "unknown_label": lambda: "Pick the label column in the menu.",
        "no_numeric": lambda: "No column other than the label holds numbers only: there are no features to learn "
                              "from.",
        "missing": lambda: f"Column “{d['column']}” has a missing value in data row {d['row']} ({d['count']} "
                           f"missing in all); fill or remove them first.",
        "huge": lambda: f"Column “{d['column']}”, data row {d['row']}, holds {d['value']:.3g}: numbers beyond "
                        f"±{d['limit']:.0e} (an id or a timestamp?) are not used as features.",
        "one_class": lambda: f"The label column “{d['label']}” has one value only: there is nothing to classify.",
        "too_many_classes": lambda: f"The label column “{d['label']}” has {d['values']} classes; at most "
                                    f"{d['limit']} are allowed.",
        "label_values": lambda: f"The label column “{d['label']}” has {d['values']} different values: it looks like "
                                f"a measurement, not classes. Pick a column of at most {d['limit']} classes.",
        "tiny_class": lambda: f"Class “{d['value']}” of “{d['label']}” has a single row: every class needs at least "
                              f"two (one to learn, one to hold out).",
    }[err.code]()


def plane_words(directions: str, net) -> str:
    """What d₁ and d₂ are, for the slice's caption."""
    if directions == "hessian":
        lam_max, lam_min = net.eigenvalues
        return (f"d₁ and d₂ are the unit eigenvectors of the largest and smallest eigenvalue of ∇²L(θ*) (λmax = "
                f"{lam_max:.3g}, λmin = {lam_min:.3g}, by Lanczos): the sharpest and the flattest direction at θ*"
                + (". Along d₂ the loss curves down, but only near θ*: the box is zoomed to that dip, and the paths "
                   "come from far outside it." if lam_min < 0 else "."))
    if directions == "filter":
        return ("d₁ and d₂ are random, filter-normalized (each neuron's incoming weights scaled to that neuron's "
                "norm in θ*, biases 0) and orthogonal neuron by neuron (Li et al. 2018).")
    return (f"d₁ and d₂ are the first two principal directions of the first run's path θₜ − θ*; they hold "
            f"{net.explained[0]:.1%} and {net.explained[1]:.1%} of its variance.")


def eigen_table(ext) -> dict[str, list[str]]:
    """The extreme eigenvalues and their residuals as text columns (the residuals are ~1e-17: plain decimals
    would show zeros)."""
    values = [*ext.low, *ext.high]
    residuals = [*ext.low_residuals, *ext.high_residuals]
    return {"eigenvalue λ": [f"{v:.4g}" for v in values], "‖Hu − λu‖": [f"{r:.1e}" for r in residuals]}


def verdict_text(point, step: int) -> str:
    """The verdict at step ``step`` in one paragraph (Markdown)."""
    if point.kind == "regular":
        return f"θ at step {step} is {point.reason}"
    words = {"minimum": "a minimum", "maximum": "a maximum", "saddle": "a saddle point",
             "degenerate": "degenerate (the second-order test cannot decide)"}[point.kind]
    return f"θ at step {step} is **{words}**: {point.reason}"
