"""The mutation report: outcomes to counts, kill rates and the generated page."""

import json

import pytest

from iris_keras import mutation

SURVIVOR = "iris_keras.batches.x_steps_per_epoch__mutmut_2"
EQUIVALENT = "iris_keras.batches.x_epoch_batches__mutmut_4"


@pytest.mark.parametrize(
    "mutant, module",
    [
        pytest.param("iris_keras.batches.x_steps_per_epoch__mutmut_1", "iris_keras/batches.py"),
        pytest.param(
            "iris_keras.datasets.iris.x_load_data__mutmut_12",
            "iris_keras/datasets/iris.py",
            id="subpackage",
        ),
        pytest.param(
            "iris_keras.callbacks.xǁEpochBackupǁon_epoch_end__mutmut_3",
            "iris_keras/callbacks.py",
            id="method",
        ),
    ],
)
def test_module_of(mutant, module):
    assert mutation.module_of(mutant) == module


def test_mutant_pattern_and_bad_module():
    assert mutation.mutant_pattern("iris_keras/datasets/iris.py") == "iris_keras.datasets.iris.*"
    with pytest.raises(SystemExit, match=r"`MODULES`.*Received: 'iris_keras/scratch/fit.py'"):
        mutation.mutant_pattern("iris_keras/scratch/fit.py")


def _outcomes():
    return {
        "iris_keras.batches.x_steps_per_epoch__mutmut_1": 1,
        SURVIVOR: 0,
        EQUIVALENT: 0,
        "iris_keras.batches.x_epoch_batches__mutmut_5": -24,  # timeout (SIGXCPU)
        "iris_keras.batches.x_epoch_batches__mutmut_6": 33,  # no test reaches it
        "iris_keras.batches.x_epoch_batches__mutmut_7": 1,
    }


def test_summarize_counts_and_names_the_tests_that_kill_former_survivors():
    previous = {"survived": ["iris_keras.batches.x_epoch_batches__mutmut_7", SURVIVOR]}
    killers = {"iris_keras.batches.x_epoch_batches__mutmut_7": "tests/test_batches.py::test_x"}
    entry = mutation.summarize(
        "iris_keras/batches.py", _outcomes(), killers, previous, marker="not slow"
    )
    assert (entry["mutants"], entry["killed"]) == (6, 2)
    assert entry["survived"] == sorted([SURVIVOR, EQUIVALENT])
    assert entry["timeout"] == ["iris_keras.batches.x_epoch_batches__mutmut_5"]
    assert entry["no_tests"] == ["iris_keras.batches.x_epoch_batches__mutmut_6"]
    assert entry["killed_by_new_tests"] == {
        "iris_keras.batches.x_epoch_batches__mutmut_7": "tests/test_batches.py::test_x"
    }


def test_kill_rate_leaves_out_equivalent_mutants():
    entry = mutation.summarize("iris_keras/batches.py", _outcomes(), {}, {}, "not slow")
    # 6 mutants, 1 equivalent: 5 count; 2 killed and 1 timeout are killed.
    assert mutation.kill_rate(entry, {EQUIVALENT: "same result"}) == (5, 3)


def test_render_marks_each_module_and_lists_every_survivor():
    entry = mutation.summarize("iris_keras/batches.py", _outcomes(), {}, {}, "not slow")
    entry["diffs"] = {SURVIVOR: ["-    return -(-n // b)", "+    return -(-n / b)"]}
    results = {"modules": {"iris_keras/batches.py": entry}, "runs": []}
    page = mutation.render(results, {EQUIVALENT: "the same batches in another order"})
    row = next(line for line in page.splitlines() if line.startswith("| `iris_keras/batches.py`"))
    assert "| 6 | 3 | 1 | 1 | 1 | 60.0% | **no** | `not slow` |" in row
    assert "| `iris_keras/train.py` | not run yet |" in page
    assert f"- `{EQUIVALENT}`: the same batches in another order" in page
    assert f"- `{SURVIVOR}`" in page and "  +    return -(-n / b)" in page
    entry["not_checked"] = ["iris_keras.batches.x_epoch_batches__mutmut_9"]
    row = mutation.render(results, {}).split("| `iris_keras/batches.py` |")[1].splitlines()[0]
    assert row.startswith(" 6 (1 not run) |") and "| partial |" in row


def test_verdicts_and_killers_files(tmp_path):
    verdicts = tmp_path / "equivalent.toml"
    verdicts.write_text(f'[equivalent."{EQUIVALENT}"]\nreason = "same batches"\n')
    assert mutation.load_verdicts(verdicts) == {EQUIVALENT: "same batches"}
    killers = tmp_path / "killers.jsonl"
    lines = [{"mutant": SURVIVOR, "test": "a"}, {"mutant": SURVIVOR, "test": "b"}]
    killers.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert mutation.read_killers(killers) == {SURVIVOR: "b"}
