"""URL-value validators: every input answered, never an exception, clamping and notices as documented."""

import math

from hypothesis import given, settings, strategies as st

from components import validate


def test_float_in_range_passes_through():
    assert validate.parse_float("0.25", 1.0, 0.0, 1.0, "lr") == (0.25, None)


def test_float_missing_gives_default_without_notice():
    assert validate.parse_float(None, 0.5, 0.0, 1.0, "lr") == (0.5, None)


def test_float_out_of_range_is_clamped_with_notice():
    value, notice = validate.parse_float("1e308", 0.5, 0.0, 2.0, "lr")
    assert value == 2.0 and "clamped" in notice
    value, notice = validate.parse_float("-7", 0.5, 0.0, 2.0, "lr")
    assert value == 0.0 and "clamped" in notice


def test_float_non_finite_and_garbage_give_default():
    for raw in ("nan", "NaN", "inf", "-inf", "1e999", "abc", "", "0x10", "1,5"):
        value, notice = validate.parse_float(raw, 0.5, 0.0, 2.0, "lr")
        assert value == 0.5 and notice, raw


def test_float_long_value_not_echoed_in_full():
    raw = "9" * 10_000
    value, notice = validate.parse_float(raw, 0.5, 0.0, 2.0, "lr")
    assert value == 0.5 and len(notice) < 200


def test_int_rounds_and_clamps():
    assert validate.parse_int("12.6", 5, 1, 100, "steps") == (13, None)
    assert validate.parse_int("100000", 5, 1, 100, "steps")[0] == 100


def test_choice_and_choices():
    assert validate.parse_choice("adam", ["sgd", "adam"], "sgd", "opt") == ("adam", None)
    value, notice = validate.parse_choice("<script>", ["sgd", "adam"], "sgd", "opt")
    assert value == "sgd" and "unknown" in notice
    kept, notice = validate.parse_choices("adam,zzz,adam,sgd", ["sgd", "adam"], ["sgd"], "opts")
    assert kept == ["adam", "sgd"] and "zzz" in notice
    kept, notice = validate.parse_choices("zzz", ["sgd", "adam"], ["sgd"], "opts")
    assert kept == ["sgd"] and "defaults" in notice


def test_bool():
    assert validate.parse_bool("TRUE", False, "loop") == (True, None)
    assert validate.parse_bool("off", True, "loop") == (False, None)
    assert validate.parse_bool("maybe", True, "loop")[0] is True


def test_excerpt_strips_unprintable_and_backticks():
    assert "`" not in validate.excerpt("a`b\x00c\n")
    assert len(validate.excerpt("x" * 1000)) <= 25


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_answered_with_a_finite_value_in_range(raw):
    value, _ = validate.parse_float(raw, 0.5, -1.0, 1.0, "v")
    assert math.isfinite(value) and -1.0 <= value <= 1.0
    n, _ = validate.parse_int(raw, 3, 1, 10, "n")
    assert 1 <= n <= 10
    choices, _ = validate.parse_choices(raw, ["a", "b"], ["a"], "c")
    assert choices and set(choices) <= {"a", "b"}
