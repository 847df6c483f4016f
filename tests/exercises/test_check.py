"""`check` and `solution`, as a notebook calls them: one line, never a traceback for an answer."""

import dataclasses

import numpy as np
import pytest

from iris_keras import exercises
from iris_keras.errors import UsageError
from iris_keras.exercises import EXERCISES, check, solution
from iris_keras.exercises.marking import Wrong, as_array, mark_array, mark_number
from tests.support.notebook_state import state_of

LOSSES = "2.5-loss-functions"
TRAINING = "4.4-4.5-train-and-evaluate"


def test_check_reads_the_answer_from_the_callers_variables():
    namespace = dict(state_of(LOSSES), check=check)
    exec("my_bce = 0.5\nverdict = check('2.5-a')", namespace)
    assert namespace["verdict"].status == "wrong"
    assert str(namespace["verdict"]).startswith("✘ 2.5-a: `my_bce` ")


def test_an_unanswered_exercise_says_so_in_one_line_without_raising():
    verdict = check("2.5-a", state_of(LOSSES))
    assert verdict.status == "unanswered" and not verdict.passed
    assert repr(verdict) == (
        "… 2.5-a: not answered yet: define `my_bce` in the empty cell above, "
        "then run this line again"
    )


def test_an_answer_before_the_notebooks_own_variables_asks_to_run_the_cells_above():
    verdict = check("2.5-a", {"my_bce": 0.5})
    assert (
        str(verdict) == "✘ 2.5-a: `y_true` is not defined yet: run the cells above this one first"
    )


def test_an_unknown_exercise_is_a_one_line_usage_error():
    with pytest.raises(
        UsageError, match=r"`exercise`, expected one of '2.1-a', .*exercise='9.9-z'"
    ):
        check("9.9-z", {})


def test_a_solution_shows_its_code_and_its_check_and_leaves_the_learners_answer_alone():
    namespace = {**state_of(LOSSES), "my_bce": "my own try"}
    shown = solution("2.5-a", namespace)
    assert namespace["my_bce"] == "my own try"
    assert shown._repr_markdown_().startswith(
        "```python\ny, p = y_true, y_pred\nmy_bce = -np.mean("
    )
    assert shown._repr_markdown_().endswith(
        f"```\n\n```text\n✔ 2.5-a: {EXERCISES['2.5-a'].right}\n```"
    )


def test_a_solution_that_fails_its_check_is_a_bug_that_raises(monkeypatch):
    broken = dataclasses.replace(EXERCISES["2.5-a"], solution="my_bce = 0.0")
    monkeypatch.setitem(exercises.EXERCISES, "2.5-a", broken)
    with pytest.raises(AssertionError, match=r"The solution of 2\.5-a fails its check: ✘ 2\.5-a"):
        solution("2.5-a", state_of(LOSSES))


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("0.5", "`my_loss` should hold numbers; it is the text '0.5'"),
        (None, "`my_loss` should hold numbers; it is None"),
        ({"loss": 1}, "`my_loss` should hold numbers; it is a dict"),
        ([1.0, 2.0, 3.0], r"`my_loss` has shape \(3,\); expected shape \(2,\)"),
        ([np.nan, 1.0], "`my_loss` holds NaN or infinite values"),
        ([-0.5, -1.5], "`my_loss` has the wrong sign"),
        ([1.5, 4.5], "`my_loss` is off by a factor of 3: each value is 3 × the right one"),
        ([0.5, 1.0], r"`my_loss` is not right yet: it differs from the right values by up to 0\.5"),
    ],
)
def test_a_wrong_array_is_named_by_what_is_wrong_with_it(value, hint):
    with pytest.raises(Wrong, match=hint):
        mark_array("my_loss", value, np.array([0.5, 1.5]))


def test_a_single_number_is_expected_as_one():
    with pytest.raises(Wrong, match=r"`my_bce` has shape \(1,\); expected a single number"):
        mark_number("my_bce", [0.7], 0.7)
    mark_number("my_bce", np.float32(0.7), 0.7)


def test_a_keras_tensor_of_any_backend_is_an_array():
    import keras

    tensor = keras.ops.convert_to_tensor(np.array([0.5, 1.5], dtype="float32"))
    np.testing.assert_array_equal(as_array("my_loss", tensor), [0.5, 1.5])


def test_an_exercise_that_reads_an_earlier_answer_asks_for_it_and_its_solution_supplies_it():
    state = {key: value for key, value in state_of(TRAINING).items() if key != "my_model"}
    assert str(check("4.5-a", {**state, "my_confusion": []})) == (
        "✘ 4.5-a: `my_model` is not defined yet: run the cells above this one first, "
        "and answer 4.4-a"
    )
    assert solution("4.5-a", state).verdict.passed
    assert "my_model" not in state


def test_a_wrong_number_is_off_by_a_factor_only_when_the_factor_is_round():
    with pytest.raises(
        Wrong, match=r"`my_bce` is off by a factor of 0\.5: each value is 0\.5 × the right"
    ):
        mark_number("my_bce", 0.35, 0.7)
    with pytest.raises(
        Wrong, match=r"`my_bce` is not right yet: it differs from the right values by up to 0\.2$"
    ):
        mark_number("my_bce", 0.5, 0.7)
