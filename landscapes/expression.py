"""Typed surfaces: a safe compiler from text such as ``x**2 - y**2 + 0.1*sin(3*x)`` to a JAX ``Landscape``.

Grammar (a subset of Python's expression syntax, checked node by node on ``ast.parse``'s tree)::

    expr := number | x | y | pi | e | expr (+ - * / **) expr | -expr | +expr | f(expr) | (expr)
    f    := one of ALLOWED_FUNCTIONS, called with exactly one positional argument

Why an allowlist over ``ast`` and nothing else: sympy's string parsers, numexpr, asteval and simpleeval
have all had code-execution escapes, because each eventually hands text or objects to ``eval``.  Here the user's
text is only ever *parsed*; the accepted tree is lowered to closures over a fixed table of ``jax.numpy``
functions, so no name lookup, attribute access or call outside that table can be expressed.  Nothing is
evaluated by Python: constants stay Python floats and every operation, including ``9**9**9**9``, is a float64
``jnp`` operation (which overflows to ``inf`` instead of building an unbounded integer).

Resource limits come *before* the parser, because CPython's parser itself is recursive and can exhaust the stack
or take long on hostile input (100,000 nested parentheses): length ``<= MAX_LENGTH``, ASCII characters from a
short list only, at most ``MAX_PAREN_DEPTH`` open parentheses and ``MAX_SIGN_RUN`` consecutive signs.  After
parsing, an iterative walk caps the tree at ``MAX_NODES`` nodes and ``MAX_DEPTH`` levels before anything recurses.

Every refusal is an ``ExpressionError`` (a ``ValueError``) that says what is wrong and, where it has one, at which
1-based ``column``.  Messages quote only identifiers, operator symbols and code points, never raw user text.

Reference: Python Language Reference, 6.5 "The power operator" .. 6.7 (precedence reproduced by ``_PREC``);
``ast`` module documentation, https://docs.python.org/3/library/ast.html.
"""

from __future__ import annotations

import ast
import difflib
import functools
import math
import numbers
import unicodedata
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .base import Bounds, Landscape

__all__ = [
    "ALLOWED_FUNCTIONS", "ALLOWED_NAMES", "DEFAULT_BOUNDS", "ExpressionError", "MESSAGES", "PHRASES",
    "cache_clear", "cache_info", "from_expression", "normalise", "to_jax", "to_latex",
]

COMPILED_SURFACES = 32
"""Compiled typed surfaces kept (LRU); each costs ~1-20 MB of compiled code across the engine's own caches."""
MAX_LENGTH = 500
MAX_PAREN_DEPTH = 32
MAX_SIGN_RUN = 8
MAX_NODES = 300
MAX_DEPTH = 100
MAX_INT_POWER = 64  # x**n for literal integers |n| <= this is computed by repeated squaring, like lax.integer_pow
GRID = 64  # the finiteness check samples a GRID x GRID lattice over the box, edges included
START_FRACTION = 0.8  # the default start lies this far from the box centre toward its upper-left corner
DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))

_CONSTANTS = {"pi": math.pi, "e": math.e}
ALLOWED_NAMES = ("x", "y", "pi", "e")

# name -> (jnp implementation, LaTeX template with one {} slot for the argument).  All are float64 ufuncs.
_FUNCTIONS: dict[str, tuple[Callable, str]] = {
    "sin": (jnp.sin, r"\sin\left({}\right)"),
    "cos": (jnp.cos, r"\cos\left({}\right)"),
    "tan": (jnp.tan, r"\tan\left({}\right)"),
    "arcsin": (jnp.arcsin, r"\arcsin\left({}\right)"),
    "arccos": (jnp.arccos, r"\arccos\left({}\right)"),
    "arctan": (jnp.arctan, r"\arctan\left({}\right)"),
    "sinh": (jnp.sinh, r"\sinh\left({}\right)"),
    "cosh": (jnp.cosh, r"\cosh\left({}\right)"),
    "tanh": (jnp.tanh, r"\tanh\left({}\right)"),
    "arcsinh": (jnp.arcsinh, r"\operatorname{{arcsinh}}\left({}\right)"),
    "exp": (jnp.exp, r"\exp\left({}\right)"),
    "expm1": (jnp.expm1, r"\operatorname{{expm1}}\left({}\right)"),
    "log": (jnp.log, r"\ln\left({}\right)"),  # natural logarithm, as in NumPy
    "log1p": (jnp.log1p, r"\operatorname{{log1p}}\left({}\right)"),
    "sqrt": (jnp.sqrt, r"\sqrt{{{}}}"),
    "abs": (jnp.abs, r"\left|{}\right|"),
    "sigmoid": (jax.nn.sigmoid, r"\sigma\left({}\right)"),  # 1 / (1 + e^{-t})
    "softplus": (jax.nn.softplus, r"\operatorname{{softplus}}\left({}\right)"),  # log(1 + e^t)
}
ALLOWED_FUNCTIONS = tuple(_FUNCTIONS)

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED_OPERATORS = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
}
_JNP_BINARY = {"+": jnp.add, "-": jnp.subtract, "*": jnp.multiply, "/": jnp.divide, "**": jnp.power}
# Binding strength, as in Python: + - < * / < unary minus < ** < atoms (numbers, names, calls).
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4, "atom": 5}

_ALLOWED_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-*/().,_")
# Phrases that complete a message (`MESSAGES`'s ``{hint}``, ``{what}``, ``{help}``, ``{detail}``): English here,
# translated by the pages like the messages themselves (`ExpressionError.phrases`).
_CHAR_HINTS = {
    "^": "use ** for powers, e.g. x**2",
    "'": "strings are not part of a formula",
    '"': "strings are not part of a formula",
    "[": "use ( ) for grouping",
    "]": "use ( ) for grouping",
    "{": "use ( ) for grouping",
    "}": "use ( ) for grouping",
    "=": "type only the right-hand side, e.g. x**2 + y**2",
    ":": "lambdas, slices and assignments are not part of a formula",
}
_NODE_WORDS = {
    "Attribute": "attribute access", "Subscript": "subscripts", "Slice": "slices", "Lambda": "lambda",
    "ListComp": "comprehensions", "SetComp": "comprehensions", "DictComp": "comprehensions",
    "GeneratorExp": "comprehensions", "JoinedStr": "f-strings", "FormattedValue": "f-strings",
    "NamedExpr": "assignment expressions (:=)", "Compare": "comparisons", "BoolOp": "'and'/'or'",
    "IfExp": "conditional expressions (if/else)", "Tuple": "tuples (commas)", "List": "lists",
    "Dict": "dicts", "Set": "sets", "Starred": "unpacking with *", "Await": "await",
    "Yield": "yield", "YieldFrom": "yield",
}
_HELP = "use numbers, x, y, pi, e, + - * / ** ( ) and functions such as sin(x)"
_SYNTAX_DETAILS = ("invalid syntax", "unmatched ')'", "'(' was never closed", "invalid decimal literal",
                   "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
"""CPython's words for the syntax errors the allowed characters can make (a fuzz over them found these and three
rarer ones, which are shown in CPython's English)."""
TYPED_DESCRIPTION = "A surface typed by the user."
PHRASES = (*_CHAR_HINTS.values(), *_NODE_WORDS.values(), _HELP, *_SYNTAX_DETAILS, TYPED_DESCRIPTION)
"""Every phrase this module puts into a message or a `Landscape` (for the translation catalogs)."""

_BOUNDS_USAGE = "bounds must be ((xmin, xmax), (ymin, ymax)) with finite numbers and xmin < xmax, ymin < ymax"
MESSAGES = {
    "not_text": "the expression must be text (str), not {type}",
    "too_long": "expression too long: {length} characters (at most {most})",
    "empty": "empty expression; type a formula in x and y, e.g. x**2 + y**2",
    "non_ascii": "non-ASCII character U+{codepoint} ({name}) at column {column} is not allowed",
    "non_ascii_guess": "non-ASCII character U+{codepoint} ({name}) at column {column} is not allowed; did you mean "
                       "{guess}?",
    "control": "control character U+{codepoint} at column {column} is not allowed",
    "character": "character {char} at column {column} is not allowed; {hint}",
    "parentheses": "too deeply nested: more than {most} open parentheses at column {column}",
    "signs": "too many consecutive signs (more than {most}) at column {column}",
    "number_letter": "a number runs into the letter {letter} at column {column}; use * to multiply, e.g. 3*x",
    "unparsable": "cannot parse the expression: {error}",
    "incomplete": "incomplete expression: something is missing at column {column} (the end)",
    "syntax": "syntax error at column {column}: {detail}",
    "side_by_side": "syntax error at column {column}: invalid syntax; two terms side by side: use * to multiply "
                    "(2*x) and parentheses to call (sin(x))",
    "too_large": "expression too large: more than {most} terms and operators",
    "too_deep": "expression too deeply nested: more than {most} levels at column {column}",
    "constant": "{value} at column {column} is not allowed; only numbers are",
    "complex": "complex numbers at column {column} are not allowed",
    "literal": "{type} literals at column {column} are not allowed; only numbers are",
    "huge_number": "number at column {column} is too large for float64 (at most about 1.8e308)",
    "call_it": "{name} at column {column} is a function; call it with one argument, e.g. {bare}(x)",
    "unknown_name": "unknown name {name} at column {column}; allowed names: {allowed}",
    "unknown_name_guess": "unknown name {name} at column {column} (did you mean {guess}?); allowed names: {allowed}",
    "unknown_function": "unknown function {name} at column {column}; allowed functions: {allowed}",
    "unknown_function_guess": "unknown function {name} at column {column} (did you mean {guess}?); allowed "
                              "functions: {allowed}",
    "power": "operator '^' at column {column} is not allowed; use ** for powers",
    "operator": "operator {symbol} at column {column} is not allowed; allowed operators: + - * / **",
    "not_allowed": "not allowed at column {column}: {what}; {help}",
    "attribute": "not allowed at column {column}: attribute access ('.{attr}'); {help}",
    "callee": "only named functions can be called at column {column}; allowed functions: {allowed}",
    "not_a_function": "{name} at column {column} is not a function; use * to multiply, e.g. {bare}*(x + 1)",
    "keywords": "keyword arguments in {name}(...) at column {column} are not allowed",
    "arguments": "{name}(...) at column {column} takes exactly one argument, got {count}",
    "bounds": _BOUNDS_USAGE,
    "bounds_size": _BOUNDS_USAGE + " (each at most 1e100 in size)",
    "bounds_narrow": _BOUNDS_USAGE + "; the {axis} range [{low}, {high}] is empty or too narrow",
    "not_finite": "the expression is not finite (inf or nan) anywhere in the box x in [{x0}, {x1}], y in [{y0}, {y1}] "
                  "(checked on a {grid}x{grid} grid)",
}
"""Every refusal's message by code, in English, with its named values: one home for the words, which the pages
translate (`ExpressionError.code`, ``values``, ``phrases``) and `str(error)` fills in English."""


class ExpressionError(ValueError):
    """A typed surface was refused: ``MESSAGES[code]`` filled with ``values`` (numbers, symbols, identifiers) and
    ``phrases`` (English phrases of this module, e.g. a hint; translated with the message).  ``column`` is the
    1-based position of the problem, or None."""

    def __init__(self, code: str, column: int | None = None, *, phrases: dict | None = None, **values):
        self.code, self.column, self.values, self.phrases = code, column, values, dict(phrases or {})
        if column is not None:
            self.values.setdefault("column", column)
        super().__init__(MESSAGES[code].format(**self.values, **self.phrases))


def _show(name: str) -> str:
    """An identifier for a message, cut short: it came from the user."""
    return repr(name if len(name) <= 32 else name[:29] + "...")


# --------------------------------------------------------------------------------------------- before parsing

def _check_text(text) -> tuple[str, int]:
    """Cheap checks on the raw text; returns it stripped and the number of leading characters removed."""
    if not isinstance(text, str):
        raise ExpressionError("not_text", type=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", length=len(text), most=MAX_LENGTH)
    # ASCII whitespace becomes a space so that columns still count characters of the original text.
    text = text.translate({9: 32, 10: 32, 11: 32, 12: 32, 13: 32})
    stripped = text.strip(" ")
    if not stripped:
        raise ExpressionError("empty")
    lead = len(text) - len(text.lstrip(" "))
    for i, ch in enumerate(text):
        if ch in _ALLOWED_CHARS:
            continue
        column = i + 1
        if ord(ch) > 127:
            plain = unicodedata.normalize("NFKC", ch)
            label = unicodedata.name(ch, "?")
            if plain.isascii() and plain.isalnum():
                raise ExpressionError("non_ascii_guess", column, codepoint=f"{ord(ch):04X}", name=label,
                                      guess=repr(plain))
            raise ExpressionError("non_ascii", column, codepoint=f"{ord(ch):04X}", name=label)
        if not ch.isprintable():
            raise ExpressionError("control", column, codepoint=f"{ord(ch):04X}")
        raise ExpressionError("character", column, char=repr(ch), phrases={"hint": _CHAR_HINTS.get(ch, _HELP)})
    _check_nesting(text)
    _check_numbers(text)
    return stripped, lead


def _check_nesting(text: str) -> None:
    """Refuse deep parenthesis nesting and long runs of signs before CPython's recursive parser sees them."""
    depth = 0
    run, run_start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
            if depth > MAX_PAREN_DEPTH:
                raise ExpressionError("parentheses", i + 1, most=MAX_PAREN_DEPTH)
        elif ch == ")":
            depth -= 1
        if ch in "+-":
            if run == 0:
                run_start = i
            run += 1
            if run > MAX_SIGN_RUN:
                raise ExpressionError("signs", run_start + 1, most=MAX_SIGN_RUN)
        elif ch != " ":
            run = 0


def _check_numbers(text: str) -> None:
    """Refuse a number run into a letter (``3x``, ``1j``, ``0x1f``): CPython's tokenizer warns on some of these
    before failing, and the user almost always meant a product."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isalpha() or ch == "_":  # an identifier, digits included: skip it whole
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
        elif ch.isdigit() or (ch == "." and text[i + 1:i + 2].isdigit()):
            while i < n and (text[i].isdigit() or text[i] in "._"):
                i += 1
            if text[i:i + 1] in ("e", "E"):  # an exponent, if digits follow
                j = i + 1 + (text[i + 1:i + 2] in ("+", "-"))
                if text[j:j + 1].isdigit():
                    i = j
                    while i < n and (text[i].isdigit() or text[i] == "_"):
                        i += 1
            if i < n and (text[i].isalpha() or text[i] == "_"):
                raise ExpressionError("number_letter", i + 1, letter=repr(text[i]))
        else:
            i += 1


# ------------------------------------------------------------------------------------------------ the parser

def _parse_tree(text) -> tuple:
    """Text -> a small immutable tree of tuples, or ExpressionError.

    Nodes: ``("num", float)``, ``("name", str)``, ``("neg", node)``, ``("call", fname, node)``,
    ``("bin", op, left, right)`` with ``op`` in ``+ - * / **``.  Unary plus is dropped.
    """
    stripped, lead = _check_text(text)
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(err, stripped, lead) from None
    except Exception as err:  # noqa: BLE001 - the parser is pure; whatever it raises is a refusal of the text
        raise ExpressionError("unparsable", error=type(err).__name__) from None
    _check_size(tree.body, lead)
    return _convert(tree.body, lead)


def _syntax_error(err: SyntaxError, stripped: str, lead: int) -> ExpressionError:
    offset = err.offset
    if not offset or offset > len(stripped):
        column = lead + len(stripped) + 1
        return ExpressionError("incomplete", column)
    column = lead + offset
    msg = (err.msg or "invalid syntax").split(". Perhaps")[0]
    before = stripped[:offset - 1].rstrip(" ")
    after = stripped[offset - 1:]
    if (msg == "invalid syntax" and before and (before[-1].isalnum() or before[-1] in "._)")
            and (after[:1].isalnum() or after[:1] in "._(")):
        return ExpressionError("side_by_side", column)
    return ExpressionError("syntax", column, phrases={"detail": msg})


def _check_size(root: ast.AST, lead: int) -> None:
    """Count expression nodes and measure their nesting without recursion."""
    count = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            count += 1
            if count > MAX_NODES:
                raise ExpressionError("too_large", most=MAX_NODES)
            if depth > MAX_DEPTH:
                column = lead + node.col_offset + 1
                raise ExpressionError("too_deep", column, most=MAX_DEPTH)
            depth += 1
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))


def _convert(node: ast.AST, lead: int) -> tuple:
    column = lead + node.col_offset + 1  # every expression node has a position
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise ExpressionError("constant", column, value=repr(value))
        if isinstance(value, complex):
            raise ExpressionError("complex", column)
        if not isinstance(value, (int, float)):
            raise ExpressionError("literal", column, type=type(value).__name__)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ExpressionError("huge_number", column)
        return ("num", number)
    if isinstance(node, ast.Name):
        name = node.id
        if name in ALLOWED_NAMES:
            return ("name", name)
        if name in _FUNCTIONS:
            raise ExpressionError("call_it", column, name=repr(name), bare=name)
        raise _unknown("name", name, column, ALLOWED_NAMES)
    if isinstance(node, ast.BinOp):
        op = _OPERATORS.get(type(node.op))
        if op is None:
            symbol = _REFUSED_OPERATORS.get(type(node.op), type(node.op).__name__)
            if symbol == "^":
                raise ExpressionError("power", column)
            raise ExpressionError("operator", column, symbol=repr(symbol))
        return ("bin", op, _convert(node.left, lead), _convert(node.right, lead))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return ("neg", _convert(node.operand, lead))
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, lead)
        symbol = "not" if isinstance(node.op, ast.Not) else "~"
        raise ExpressionError("operator", column, symbol=repr(symbol))
    if isinstance(node, ast.Call):
        return _convert_call(node, lead, column)
    if isinstance(node, ast.Attribute):
        column = lead + node.end_col_offset - len(node.attr) + 1  # point at the attribute, not the object
        raise ExpressionError("attribute", column, attr=_show(node.attr)[1:-1], phrases={"help": _HELP})
    word = _NODE_WORDS.get(type(node).__name__, type(node).__name__)
    raise ExpressionError("not_allowed", column, phrases={"what": word, "help": _HELP})


def _convert_call(node: ast.Call, lead: int, column: int | None) -> tuple:
    func = node.func
    if not isinstance(func, ast.Name):
        # Report the callee itself (an attribute, a call, ...): that is the real problem.
        _convert(func, lead)
        raise ExpressionError("callee", column, allowed=", ".join(ALLOWED_FUNCTIONS))
    name = func.id
    if name not in _FUNCTIONS:
        if name in ALLOWED_NAMES:
            raise ExpressionError("not_a_function", column, name=repr(name), bare=name)
        raise _unknown("function", name, column, ALLOWED_FUNCTIONS)
    if node.keywords:
        raise ExpressionError("keywords", column, name=name)
    if len(node.args) != 1:
        raise ExpressionError("arguments", column, name=name, count=len(node.args))
    return ("call", name, _convert(node.args[0], lead))


def _unknown(kind: str, name: str, column: int, allowed: tuple[str, ...]) -> ExpressionError:
    """``kind`` is "name" or "function"."""
    close = []
    if len(name) <= 32:
        close = difflib.get_close_matches(name.lower(), allowed, n=1, cutoff=0.6)
        if name.lower() in allowed:
            close = [name.lower()]
    values = {"name": _show(name), "allowed": ", ".join(allowed)}
    if close:
        return ExpressionError(f"unknown_{kind}_guess", column, guess=repr(close[0]), **values)
    return ExpressionError(f"unknown_{kind}", column, **values)


# ------------------------------------------------------------------------------------------------- renderers

def _prec(node: tuple) -> int:
    if node[0] == "bin":
        return _PREC[node[1]]
    return _PREC["neg"] if node[0] == "neg" else _PREC["atom"]


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _render(node: tuple, name=lambda n: n) -> str:
    """The canonical Python text of a tree; parsing it gives back the same tree.  ``name`` spells each name and
    function (`_jax` prefixes their modules)."""
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "name":
        return name(node[1])
    if kind == "call":
        return f"{name(node[1])}({_render(node[2], name)})"
    if kind == "neg":
        inner = _render(node[1], name)
        return f"-({inner})" if _prec(node[1]) <= _PREC["neg"] else f"-{inner}"
    _, op, left, right = node
    p = _PREC[op]
    # ** groups to the right, the others to the left: the parentheses that keep the tree are on the other side.
    left_paren = _prec(left) < p or (op == "**" and _prec(left) == p)
    right_paren = _prec(right) < p or (op != "**" and _prec(right) == p)
    lhs = f"({_render(left, name)})" if left_paren else _render(left, name)
    rhs = f"({_render(right, name)})" if right_paren else _render(right, name)
    return f"{lhs} {op} {rhs}" if op in ("+", "-") else f"{lhs}{op}{rhs}"


_JAX_NAMES = {"sigmoid": "jax.nn.sigmoid", "softplus": "jax.nn.softplus", "pi": "jnp.pi", "e": "jnp.e", "x": "x",
              "y": "y"}
"""How `to_jax` names each name and function (the rest are ``jnp.<name>``)."""


def _tex_number(value: float) -> str:
    text = _number(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1.0" or mantissa == "1" else rf"{mantissa} \cdot {power}"


def _starts_with_minus(node: tuple) -> bool:
    if node[0] == "neg":
        return True
    return node[0] == "bin" and node[1] in ("+", "-", "*") and _starts_with_minus(node[2])


def _tex(node: tuple) -> str:
    r"""LaTeX built only from the tree: ``\frac{a}{b}``, ``x^{2}``, ``\sin\left(3 x\right)``."""
    kind = node[0]
    if kind == "num":
        return _tex_number(node[1])
    if kind == "name":
        return r"\pi" if node[1] == "pi" else node[1]
    if kind == "call":
        return _FUNCTIONS[node[1]][1].format(_tex(node[2]))
    if kind == "neg":
        inner = node[1]
        wrap = inner[0] == "neg" or (inner[0] == "bin" and inner[1] in ("+", "-"))
        return "-" + (_paren(_tex(inner)) if wrap else _tex(inner))
    _, op, left, right = node
    lhs, rhs = _tex(left), _tex(right)
    if op == "/":
        return rf"\frac{{{lhs}}}{{{rhs}}}"
    if op == "**":
        plain = left[0] == "name" or left[0] == "call" or (left[0] == "num" and "^" not in lhs)
        return f"{lhs if plain else _paren(lhs)}^{{{rhs}}}"
    if op in ("+", "-"):
        if _starts_with_minus(right) or (op == "-" and right[0] == "bin" and right[1] in ("+", "-")):
            rhs = _paren(rhs)
        return f"{lhs} {op} {rhs}"
    # Multiplication: juxtapose, except where two numbers would run together.
    if left[0] == "bin" and left[1] in ("+", "-"):
        lhs = _paren(lhs)
    if _starts_with_minus(right) or (right[0] == "bin" and right[1] in ("+", "-")):
        rhs = _paren(rhs)
    joiner = r" \cdot " if rhs[:1].isdigit() else " "
    return lhs + joiner + rhs


def _paren(tex: str) -> str:
    return rf"\left({tex}\right)"


# -------------------------------------------------------------------------------------------------- lowering

def _lower(node: tuple) -> Callable:
    """Tree -> a closure ``(x, y) -> value`` made only of the jnp functions in the tables above."""
    kind = node[0]
    if kind == "num":
        value = node[1]
        return lambda x, y: value
    if kind == "name":
        name = node[1]
        if name == "x":
            return lambda x, y: x
        if name == "y":
            return lambda x, y: y
        value = _CONSTANTS[name]
        return lambda x, y: value
    if kind == "neg":
        inner = _lower(node[1])
        return lambda x, y: jnp.negative(inner(x, y))
    if kind == "call":
        func, inner = _FUNCTIONS[node[1]][0], _lower(node[2])
        return lambda x, y: func(inner(x, y))
    _, op, left, right = node
    lhs = _lower(left)
    exponent = _literal_integer(right) if op == "**" else None
    if exponent is not None:
        return lambda x, y: _integer_power(lhs(x, y), exponent)
    rhs, func = _lower(right), _JNP_BINARY[op]
    return lambda x, y: func(lhs(x, y), rhs(x, y))


def _literal_integer(node: tuple) -> int | None:
    sign = 1
    if node[0] == "neg":
        sign, node = -1, node[1]
    if node[0] == "num" and node[1].is_integer() and abs(node[1]) <= MAX_INT_POWER:
        return sign * int(node[1])
    return None


def _integer_power(base, n: int):
    """``base**n`` by repeated squaring, the algorithm of ``lax.integer_pow``.

    Written out with ``jnp.multiply`` rather than calling ``lax.integer_pow`` because that primitive is compiled
    once per exponent when run eagerly (as the finiteness check does); the products give the same numbers and
    the same derivatives (``d/dx x**2 = 2x``, finite at 0, unlike ``lax.pow``'s ``y * x**(y-1)``).
    """
    if n == 0:
        return jnp.ones_like(base)
    reciprocal, n = n < 0, abs(n)
    acc = None
    while n > 0:
        if n & 1:
            acc = base if acc is None else jnp.multiply(acc, base)
        n >>= 1
        if n:
            base = jnp.multiply(base, base)
    return jnp.divide(1.0, acc) if reciprocal else acc


@functools.lru_cache(maxsize=COMPILED_SURFACES)
def _compile(normalised: str) -> Callable[[jnp.ndarray, jnp.ndarray], jnp.ndarray]:
    """Normalised text -> ``fn(xy, theta)``.  Cached so equal surfaces share one function object (the runners'
    jit cache key), and bounded so a storm of distinct expressions cannot grow memory without limit."""
    body = _lower(_parse_tree(normalised))

    def fn(xy, theta):
        del theta  # typed surfaces have no parameters
        return jnp.asarray(body(xy[0], xy[1]), dtype=jnp.float64)

    fn.__name__ = fn.__qualname__ = "custom"
    fn.__doc__ = f"f(x, y) = {normalised}"
    return fn


cache_info = _compile.cache_info
cache_clear = _compile.cache_clear


# ---------------------------------------------------------------------------------------------- public entry

def normalise(text: str) -> str:
    """The canonical form of an expression (spacing, parentheses, numbers), or ExpressionError."""
    return _render(_parse_tree(text))


def to_jax(text: str) -> str:
    """An expression as JAX code in ``x`` and ``y`` (``jnp.sin(3*x)``), built from its parsed tree; or
    ExpressionError.  For "copy as code": the formula the app compiled, runnable outside it."""
    return _render(_parse_tree(text), lambda n: _JAX_NAMES.get(n, "jnp." + n))


def to_latex(text: str) -> str:
    r"""LaTeX for an expression, built only from its parsed tree, e.g. ``x^{2} - y^{2}``; or ExpressionError."""
    return _tex(_parse_tree(text))


def from_expression(text: str, bounds: Bounds = DEFAULT_BOUNDS) -> Landscape:
    """Compile a typed formula in ``x`` and ``y`` into a ``Landscape``, or raise ``ExpressionError``.

    The surface is refused if it is not finite (``inf``/``nan``) at any point of a ``GRID x GRID`` lattice over
    ``bounds``.  The start point is ``c + 0.8 (u - c)``, where ``c`` is the box centre and ``u`` its upper-left
    corner ``(xmin, ymax)``; if the surface is not finite there, it is the finite lattice point nearest to it
    (the first in row-major order on ties).  ``fn`` ignores ``theta`` (``params=()``); ``source`` keeps the text.
    Besides one point of shape ``(2,)``, ``fn`` also takes a stack of shape ``(2, ...)`` and works elementwise.
    """
    box = _check_bounds(bounds)
    tree = _parse_tree(text)
    title = _render(tree)
    fn = _compile(title)
    start = _finite_start(fn, box)
    return Landscape(
        name="custom", title=title, latex=_tex(tree), fn=fn, bounds=box, start=start, minima=(), params=(),
        description=TYPED_DESCRIPTION, source=text,
    )


def _check_bounds(bounds) -> Bounds:
    try:
        (x0, x1), (y0, y1) = bounds
    except (TypeError, ValueError):
        raise ExpressionError("bounds") from None
    values = (x0, x1, y0, y1)
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        raise ExpressionError("bounds")
    x0, x1, y0, y1 = (float(v) for v in values)
    if not all(math.isfinite(v) and abs(v) <= 1e100 for v in (x0, x1, y0, y1)):
        raise ExpressionError("bounds_size")
    for low, high, axis in ((x0, x1, "x"), (y0, y1, "y")):
        # The lattice needs GRID distinct points along each axis.
        if not low < high or (high - low) <= 1e-9 * max(abs(low), abs(high)):
            raise ExpressionError("bounds_narrow", axis=axis, low=f"{low:g}", high=f"{high:g}")
    return ((x0, x1), (y0, y1))


def _finite_start(fn: Callable, box: Bounds) -> tuple[float, float]:
    (x0, x1), (y0, y1) = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # Rounded to 12 significant digits so that the box (-3, 3) gives (-2.4, 2.4), not -2.4000000000000004.
    preferred = tuple(float(f"{v:.12g}") for v in (cx + START_FRACTION * (x0 - cx), cy + START_FRACTION * (y1 - cy)))
    gx, gy = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    # One eager pass over the lattice plus the preferred start: the same fn the runners compile.
    px = np.append(gx.ravel(), preferred[0])
    py = np.append(gy.ravel(), preferred[1])
    values = np.broadcast_to(np.asarray(fn(jnp.asarray(np.stack([px, py])), None)), px.shape)
    finite = np.isfinite(values)
    if not finite.any():
        raise ExpressionError("not_finite", x0=f"{x0:g}", x1=f"{x1:g}", y0=f"{y0:g}", y1=f"{y1:g}", grid=GRID)
    if finite[-1]:
        return (float(preferred[0]), float(preferred[1]))
    distance = np.where(finite[:-1], np.hypot(px[:-1] - preferred[0], py[:-1] - preferred[1]), np.inf)
    best = int(np.argmin(distance))
    return (float(px[best]), float(py[best]))
