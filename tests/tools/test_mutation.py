"""The mutation report: outcomes to counts, kill rates and the generated page."""

import json

import pytest

from tools.mutation import outcomes as mutation_outcomes
from tools.mutation import page as mutation_report
from tools.mutation import runner as mutation

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
    assert mutation_outcomes.module_of(mutant) == module


def test_mutant_pattern_and_bad_module():
    assert (
        mutation_outcomes.mutant_pattern("iris_keras/datasets/iris.py")
        == "iris_keras.datasets.iris.*"
    )
    with pytest.raises(SystemExit, match=r"`MODULES`.*Received: 'iris_keras/scratch/fit.py'"):
        mutation_outcomes.mutant_pattern("iris_keras/scratch/fit.py")


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
    killers = {
        "iris_keras.batches.x_epoch_batches__mutmut_7": "tests/article/test_batches.py::test_x"
    }
    entry = mutation_outcomes.summarize(
        "iris_keras/batches.py", _outcomes(), killers, previous, marker="not slow"
    )
    assert (entry["mutants"], entry["killed"]) == (6, 2)
    assert entry["survived"] == sorted([SURVIVOR, EQUIVALENT])
    assert entry["timeout"] == ["iris_keras.batches.x_epoch_batches__mutmut_5"]
    assert entry["no_tests"] == ["iris_keras.batches.x_epoch_batches__mutmut_6"]
    assert entry["killed_by_new_tests"] == {
        "iris_keras.batches.x_epoch_batches__mutmut_7": "tests/article/test_batches.py::test_x"
    }


def test_kill_rate_leaves_out_equivalent_mutants():
    entry = mutation_outcomes.summarize("iris_keras/batches.py", _outcomes(), {}, {}, "not slow")
    # 6 mutants, 1 equivalent: 5 count; 2 killed and 1 timeout are killed.
    assert mutation_report.kill_rate(entry, {EQUIVALENT: "same result"}) == (5, 3)


def test_render_marks_each_module_and_lists_every_survivor():
    entry = mutation_outcomes.summarize("iris_keras/batches.py", _outcomes(), {}, {}, "not slow")
    entry["diffs"] = {SURVIVOR: ["-    return -(-n // b)", "+    return -(-n / b)"]}
    results = {"modules": {"iris_keras/batches.py": entry}, "runs": []}
    page = mutation_report.render_page(results, {EQUIVALENT: "the same batches in another order"})
    row = next(line for line in page.splitlines() if line.startswith("| `iris_keras/batches.py`"))
    assert "| 6 | 6 | 3 | 1 | 1 | 1 | 60.0% | **no** | `not slow` on tensorflow |" in row
    assert "| `iris_keras/train.py` | not run yet |" in page
    assert f"- `{EQUIVALENT}`: the same batches in another order" in page
    assert f"- `{SURVIVOR}`" in page and "  +    return -(-n / b)" in page
    entry["not_checked"] = ["iris_keras.batches.x_epoch_batches__mutmut_9"]
    row = (
        mutation_report.render_page(results, {})
        .split("| `iris_keras/batches.py` |")[1]
        .splitlines()[0]
    )
    assert row.startswith(" 6 | 5, interrupted |") and "| partial |" in row
    entry["sample"] = {"size": 5, "seed": 0}
    row = (
        mutation_report.render_page(results, {})
        .split("| `iris_keras/batches.py` |")[1]
        .splitlines()[0]
    )
    assert row.startswith(" 6 | 5, sample |") and "| **no** |" in row


def test_a_sample_is_seeded_and_draws_only_untested_mutants():
    names = [f"iris_keras.batches.x_f__mutmut_{n}" for n in range(1, 41)]
    first = mutation_outcomes.sample("iris_keras/batches.py", names, 10, seed=0)
    assert len(first) == 10 and set(first) <= set(names)
    assert first == mutation_outcomes.sample("iris_keras/batches.py", names[::-1], 10, seed=0)
    assert first != mutation_outcomes.sample("iris_keras/batches.py", names, 10, seed=1)
    assert set(first) < set(mutation_outcomes.sample("iris_keras/batches.py", names, 15, seed=0))
    assert first != mutation_outcomes.sample("iris_keras/model.py", names, 10, seed=0)
    assert mutation_outcomes.sample("iris_keras/batches.py", names[:3], 10, seed=0) == names[:3]
    previous = {"mutants": 40, "not_checked": names[5:]}
    assert mutation_outcomes.untested(names, previous) == names[5:]
    assert mutation_outcomes.untested(names, None) == names


def test_all_mutants_are_the_names_mutmut_gives():
    names = mutation_outcomes.all_mutants("iris_keras/batches.py")
    assert len(names) == len(set(names)) > 10
    assert all(mutation_outcomes.module_of(name) == "iris_keras/batches.py" for name in names)


def test_a_sampled_run_keeps_the_outcomes_of_earlier_runs():
    names = sorted(_outcomes())
    earlier = mutation_outcomes.summarize(
        "iris_keras/batches.py", dict.fromkeys(names), {}, {}, "not slow", {"size": 2, "seed": 0}
    )
    assert len(earlier["not_checked"]) == 6 and earlier["sample"] == {"size": 2, "seed": 0}
    first = dict.fromkeys(names) | {names[0]: 1, names[1]: 0}
    entry = mutation_outcomes.summarize(
        "iris_keras/batches.py", first, {}, {}, "not slow", {"size": 2, "seed": 0}
    )
    later = dict.fromkeys(names) | {names[2]: 1}
    entry = mutation_outcomes.summarize("iris_keras/batches.py", later, {}, entry, "not slow", None)
    assert entry["killed"] == 2 and entry["survived"] == [names[1]]
    assert len(entry["not_checked"]) == 3 and entry["sample"] == {"size": 2, "seed": 0}
    complete = mutation_outcomes.summarize(
        "iris_keras/batches.py", _outcomes(), {}, entry, "not slow", None
    )
    assert complete["sample"] is None and not complete["not_checked"]
    changed = mutation_outcomes.summarize(
        "iris_keras/batches.py", dict.fromkeys(names[:5]) | {names[0]: 1}, {}, entry, "not slow"
    )
    assert len(changed["not_checked"]) == 4  # the module changed: earlier outcomes do not apply


def test_verdicts_and_killers_files(tmp_path):
    verdicts = tmp_path / "equivalent.toml"
    verdicts.write_text(f'[equivalent."{EQUIVALENT}"]\nreason = "same batches"\n')
    assert mutation_report.load_verdicts(verdicts) == {EQUIVALENT: "same batches"}
    killers = tmp_path / "killers.jsonl"
    lines = [{"mutant": SURVIVOR, "test": "a"}, {"mutant": SURVIVOR, "test": "b"}]
    killers.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert mutation_outcomes.read_killers(killers) == {SURVIVOR: "b"}


def test_a_mutant_keeps_the_best_outcome_any_backend_gave_it():
    names = sorted(_outcomes())
    on_tensorflow = dict.fromkeys(names, 33) | {names[0]: 1, names[1]: 0}
    entry = mutation_outcomes.summarize("iris_keras/batches.py", on_tensorflow, {}, {}, "not slow")
    assert len(entry["no_tests"]) == 4 and entry["backends"] == ["tensorflow"]
    on_jax = dict.fromkeys(names, 33) | {names[1]: 0, names[2]: 1, names[3]: 0}
    entry = mutation_outcomes.summarize(
        "iris_keras/batches.py", on_jax, {}, entry, "not slow", on="jax"
    )
    assert entry["killed"] == 2 and entry["survived"] == [names[1], names[3]]
    assert entry["no_tests"] == names[4:] and entry["backends"] == ["jax", "tensorflow"]


def test_another_backend_runs_in_a_copy_of_what_git_tracks(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / ".gitignore").write_text("build/\nignored.txt\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "tracked.py").write_text("x = 1\n")
    (tmp_path / "new.py").write_text("y = 2\n")
    (tmp_path / "ignored.txt").write_text("no\n")
    (tmp_path / "link").symlink_to("pkg")
    subprocess.run(["git", "add", "pkg/tracked.py", ".gitignore"], check=True)
    assert mutation.working_copy("tensorflow") == mutation.Path(".")
    root = mutation.working_copy("jax")
    assert root == mutation.Path("build/mutation-jax")
    assert (root / "pkg" / "tracked.py").read_text() == "x = 1\n"
    assert (root / "new.py").read_text() == "y = 2\n"
    assert not (root / "ignored.txt").exists() and (root / "link").is_symlink()
    (tmp_path / "pkg" / "tracked.py").write_text("x = 3\n")
    assert (mutation.working_copy("jax") / "pkg" / "tracked.py").read_text() == "x = 3\n"


def test_the_published_report_is_the_recorded_outcomes():
    """The published report is what `make mutation-report` makes of the recorded outcomes today."""
    from pathlib import Path

    docs = Path(__file__).parents[2] / "docs" / "developers"
    results = json.loads((docs / "mutation.json").read_text(encoding="utf-8"))
    verdicts = mutation_report.load_verdicts(docs / "mutation-equivalent.toml")
    assert (docs / "mutation.md").read_text(encoding="utf-8") == mutation_report.render_page(
        results, verdicts
    ), "docs/developers/mutation.md is stale: run `make mutation-report`"
    for name, reason in verdicts.items():
        assert mutation_outcomes.module_of(name) in mutation_report.CORE_MODULES, name
        assert len(reason) > 20, name


def test_mutmut_copies_every_tracked_top_level_entry_into_its_copy_of_the_repository():
    """A mutant's tests run in `mutants/`: a file they read that is not copied fails them all."""
    import subprocess
    import tomllib
    from pathlib import Path

    root = Path(__file__).parents[2]
    settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    copied = {entry.rstrip("/") for entry in settings["mutmut"]["also_copy"]}
    copied |= {"iris_keras", "tests", "pyproject.toml"}  # mutmut copies these itself
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {path.split("/")[0] for path in tracked} - copied == set()


def test_every_test_the_mutation_record_credits_is_in_the_repository():
    """A survivor 'killed now by' a test names that test where it is today."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    record = mutation_report.load_results()["modules"]
    credited = {
        test for entry in record.values() for test in entry.get("killed_by_new_tests", {}).values()
    }
    assert credited
    for test in sorted(credited):
        path, name = test.split("::")
        function = name.split("[")[0]
        assert f"def {function}(" in (root / path).read_text(encoding="utf-8"), test
