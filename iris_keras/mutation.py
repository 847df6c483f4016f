"""`make mutate`: mutation testing of the core with mutmut, and its report.

mutmut 3 copies the package into `mutants/` (git-ignored), compiles every
mutant of every function into it behind a switch, runs the fast tests once
to learn which tests reach which function, then tests each mutant in a
child forked from one warm pytest process, so TensorFlow is imported once
per run, not once per mutant.

    python -m iris_keras.mutation run iris_keras/batches.py ...   # `make mutate`
    python -m iris_keras.mutation report                           # `make mutation-report`

`run` tests the mutants of the named modules and records their outcome in
`docs/mutation.json`, module by module, so a run of a few modules updates
their rows and keeps the others. `report` renders `docs/mutation.md` from
that file and the verdicts of `docs/mutation-equivalent.toml`: a mutant that
survives is either listed there as equivalent, with its reason, or counted
as a survivor that a test still has to kill. A mutant that survived an
earlier run and is killed now is named with the test that kills it, which
this module records as a pytest plugin (`-p iris_keras.mutation`) in the
mutmut children. Not part of `make test`: NumPy and the standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from datetime import date
from pathlib import Path

RESULTS = Path("docs/mutation.json")
VERDICTS = Path("docs/mutation-equivalent.toml")
REPORT = Path("docs/mutation.md")
MUTANTS = Path("mutants")
KILLERS_ENV = "IRIS_KERAS_MUTATION_KILLERS"
CORE_MODULES = (
    "iris_keras/artifacts.py",
    "iris_keras/batches.py",
    "iris_keras/callbacks.py",
    "iris_keras/cli.py",
    "iris_keras/compile.py",
    "iris_keras/datasets/iris.py",
    "iris_keras/device.py",
    "iris_keras/errors.py",
    "iris_keras/evaluate.py",
    "iris_keras/expect.py",
    "iris_keras/loading.py",
    "iris_keras/model.py",
    "iris_keras/plots.py",
    "iris_keras/predict.py",
    "iris_keras/progress.py",
    "iris_keras/quiet_import.py",
    "iris_keras/recipes.py",
    "iris_keras/report.py",
    "iris_keras/run.py",
    "iris_keras/seeding.py",
    "iris_keras/study.py",
    "iris_keras/study_report.py",
    "iris_keras/study_runner.py",
    "iris_keras/train.py",
)
# mutmut's exit codes of a tested mutant (mutmut/stats.py): 1 and 3 are a failing
# test, 0 a passing suite, 33 and 5 no test reaching the mutant, the rest timeouts.
KILLED, SURVIVED, NO_TESTS = {1, 3}, {0}, {5, 33}
TIMEOUTS = {24, -24, 152, 255, 36, -9}


def pytest_runtest_logreport(report):
    """pytest hook, in mutmut's children: records the first test that fails on a mutant."""
    mutant, killers = os.environ.get("MUTANT_UNDER_TEST", ""), os.environ.get(KILLERS_ENV)
    if report.failed and killers and "__mutmut_" in mutant:
        with open(killers, "a", encoding="utf-8") as file:
            file.write(json.dumps({"mutant": mutant, "test": report.nodeid}) + "\n")


def module_of(mutant):
    """`iris_keras/datasets/iris.py` for `iris_keras.datasets.iris.x_load_data__mutmut_3`."""
    dotted = mutant.split(".x_")[0].split(".xǁ")[0]
    return dotted.replace(".", "/") + ".py"


def mutant_pattern(module):
    """The mutmut name pattern of a module's mutants: `iris_keras.batches.*`."""
    module = check_module(module)
    return module.removesuffix(".py").replace("/", ".") + ".*"


def check_module(module):
    """Returns `module` if it is one of `CORE_MODULES`, else exits with one line."""
    if module not in CORE_MODULES:
        sys.exit(
            f"Received an invalid value for `MODULES`, expected paths among "
            f"{', '.join(CORE_MODULES)}. Received: {module!r}"
        )
    return module


def read_outcomes(module):
    """`{mutant: exit code}` of one module from mutmut's `mutants/<module>.meta`."""
    meta = MUTANTS / f"{module}.meta"
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def read_killers(path):
    """`{mutant: test}`: the last test recorded failing on each mutant."""
    killers = {}
    if Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            killers[entry["mutant"]] = entry["test"]
    return killers


def summarize(module, outcomes, killers, previous, marker):
    """The `docs/mutation.json` entry of one module after a run.

    Args:
        module: the module's path.
        outcomes: `{mutant: exit code}` from mutmut.
        killers: `{mutant: test}` recorded during the run.
        previous: the module's entry before this run, or `{}`.
        marker: the pytest `-m` expression the mutants were tested with.

    Returns:
        A JSON-able dict: counts, the survivors, and the mutants that
        survived an earlier run with the test that kills them now.
    """
    status = {name: _status(code) for name, code in outcomes.items()}
    once_survived = set(previous.get("survived", [])) | set(previous.get("killed_by_new_tests", {}))
    earlier_killers = previous.get("killed_by_new_tests", {})
    return {
        "date": date.today().isoformat(),
        "tests": marker or "all",
        "mutants": len(status),
        "killed": sum(value == "killed" for value in status.values()),
        "timeout": sorted(name for name, value in status.items() if value == "timeout"),
        "no_tests": sorted(name for name, value in status.items() if value == "no tests"),
        "survived": sorted(name for name, value in status.items() if value == "survived"),
        "not_checked": sorted(name for name, value in status.items() if value == "not checked"),
        "killed_by_new_tests": {
            name: killers.get(name) or earlier_killers.get(name, "(not recorded)")
            for name in sorted(once_survived)
            if status.get(name) in ("killed", "timeout")
        },
    }


def _status(code):
    if code is None:
        return "not checked"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in TIMEOUTS:
        return "timeout"
    return "suspicious"


def load_verdicts(path=VERDICTS):
    """`{mutant: reason}` from the equivalence verdicts file."""
    if not Path(path).is_file():
        return {}
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return {name: entry["reason"] for name, entry in data.get("equivalent", {}).items()}


def kill_rate(entry, verdicts):
    """`(non-equivalent mutants, killed of them)` of one module's entry.

    A timeout counts as killed (the mutant hangs the suite); a mutant that
    no test reaches counts as survived unless its verdict says equivalent.
    """
    equivalent = [name for name in [*entry["survived"], *entry["no_tests"]] if name in verdicts]
    relevant = entry["mutants"] - len(entry["not_checked"]) - len(equivalent)
    return relevant, entry["killed"] + len(entry["timeout"])


def render(results, verdicts):
    """The markdown of `docs/mutation.md`.

    Args:
        results: the content of `docs/mutation.json`.
        verdicts: `{mutant: reason}` of the equivalent mutants.

    Returns:
        The page, as a string.
    """
    modules = results.get("modules", {})
    lines = [
        "# Mutation testing",
        "",
        "<!-- Generated by `make mutate` / `make mutation-report` from docs/mutation.json",
        "     and docs/mutation-equivalent.toml: do not edit by hand. -->",
        "",
        "A mutant is the package with one small change: `<` for `<=`, a constant "
        "off by one, an argument dropped, a string changed. A test suite that "
        "catches bugs fails on it (the mutant is *killed*). `make mutate` makes "
        "the mutants of the core modules with [mutmut](https://mutmut.readthedocs.io) "
        "3 and runs the tests that reach each one, the fast tests "
        '(`-m "not slow"`) first. A mutant that survives is either *equivalent* '
        "(it changes nothing a user can observe; the reason is in "
        "`docs/mutation-equivalent.toml`) or a missing test.",
        "",
        "Not mutated: `scratch/` (it killed 22 of 22 hand-made mutants), the "
        "article's figures (`figures.py`), the benchmark (`bench.py`), this tool "
        "(`mutation.py`) and the entry point (`__main__.py`).",
        "",
        "## Running it",
        "",
        "```bash",
        'make mutate MODULES="iris_keras/datasets/iris.py iris_keras/model.py"  # some modules',
        "make mutate                # every core module: about 3,900 mutants, many hours",
        'make mutate-survivors MODULES="iris_keras/model.py"  # after adding tests',
        "make mutation-report       # rebuild this page from docs/mutation.json",
        "```",
        "",
        "`make mutate` tests every mutant of the modules named and replaces their rows "
        "in `docs/mutation.json`, keeping the other modules' rows, then rebuilds this "
        "page; `make mutate-survivors` tests again only the survivors listed there, "
        "and a survivor that a new test kills moves to *killed now by*, with that "
        "test's name. mutmut's working copy `mutants/` is git-ignored and kept "
        "between runs. Tests run in children forked from one process that has "
        "imported TensorFlow but run none of it (a child forked after TensorFlow "
        "has run ops hangs), so a mutant costs its tests, not a TensorFlow import; "
        "one worker, under `nice -n 10`. On the shared 2-core machine the first run "
        "tested about 7 mutants a minute: a killed mutant costs a few seconds, a "
        "survivor every test that reaches it, up to a minute and a half. A session "
        "fixture (a trained run) counts as reaching only the first test that used "
        "it, so a mutant reached through one is tested by that test alone.",
        "",
        "## Kill rate per module",
        "",
        "The kill rate counts the non-equivalent mutants; a timeout counts as "
        "killed, a mutant that no test reaches as survived. The goal is 90 %.",
        "",
        "| module | mutants | killed | survived | equivalent | no test | kill rate | "
        "≥ 90 % | tests | run on |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | --- | --- |",
    ]
    total_relevant = total_killed = 0
    for module in CORE_MODULES:
        entry = modules.get(module)
        if entry is None:
            lines.append(f"| `{module}` | not run yet | | | | | | | | |")
            continue
        relevant, killed = kill_rate(entry, verdicts)
        total_relevant, total_killed = total_relevant + relevant, total_killed + killed
        equivalent = sum(name in verdicts for name in [*entry["survived"], *entry["no_tests"]])
        rate = killed / relevant if relevant else 1.0
        mutants = str(entry["mutants"])
        if entry["not_checked"]:
            mutants += f" ({len(entry['not_checked'])} not run)"
        lines.append(
            f"| `{module}` | {mutants} | {killed} | "
            f"{sum(name not in verdicts for name in entry['survived'])} | {equivalent} | "
            f"{sum(name not in verdicts for name in entry['no_tests'])} | {rate:.1%} | "
            f"{_verdict(rate, entry)} | `{entry['tests']}` | {entry['date']} |"
        )
    if total_relevant:
        lines += [
            "",
            f"Over the modules run: {total_killed} of {total_relevant} non-equivalent "
            f"mutants killed ({total_killed / total_relevant:.1%}).",
        ]
    lines += _run_lines(results)
    lines += _survivor_sections(modules, verdicts)
    return "\n".join(lines) + "\n"


def _verdict(rate, entry):
    if entry["not_checked"]:
        return "partial"
    return "yes" if rate >= 0.9 else "**no**"


def _run_lines(results):
    runs = results.get("runs", [])
    lines = ["", "## Runs", ""]
    if not runs:
        return [*lines, "No run yet."]
    lines += [
        "Each `make mutate` run, with the modules it tested and its wall time on "
        "the machine that ran it (mutmut, one worker, `nice -n 10`):",
        "",
        "| date | modules | mutants | minutes | machine |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for run in runs:
        names = ", ".join(f"`{Path(module).stem}`" for module in run["modules"])
        lines.append(
            f"| {run['date']} | {names} | {run['mutants']} | {run['seconds'] / 60:.0f} | "
            f"{run['machine']} |"
        )
    return lines


def _survivor_sections(modules, verdicts):
    lines = ["", "## Every survivor", ""]
    for module in CORE_MODULES:
        entry = modules.get(module)
        if entry is None:
            continue
        alive = [*entry["survived"], *entry["no_tests"]]
        missing = [name for name in alive if name not in verdicts]
        equivalent = [name for name in alive if name in verdicts]
        killed_now = entry["killed_by_new_tests"]
        if not (missing or equivalent or killed_now):
            continue
        lines += [f"### `{module}`", ""]
        if killed_now:
            lines += ["Survived an earlier run; killed now by:", ""]
            lines += [f"- `{name}`: `{test}`" for name, test in killed_now.items()]
            lines.append("")
        diffs = entry.get("diffs", {})
        if equivalent:
            lines += ["Equivalent (it survives, and no user can tell):", ""]
            for name in equivalent:
                lines += [f"- `{name}`: {verdicts[name]}", *_diff_block(diffs.get(name))]
            lines.append("")
        if missing:
            lines += ["Still surviving (a test is missing):", ""]
            for name in missing:
                lines += [f"- `{name}`", *_diff_block(diffs.get(name))]
            lines.append("")
    return lines


def _diff_block(diff):
    if not diff:
        return []
    return ["", "  ```diff", *[f"  {line}" for line in diff], "  ```", ""]


def _diff(mutant):
    result = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", mutant], capture_output=True, text=True
    )
    return [line for line in result.stdout.splitlines() if line[:1] in "+-@"][:12]


def run(modules, *, marker, survivors=False, max_children=1):
    """Runs mutmut on `modules`, then updates `docs/mutation.json` and the report.

    Args:
        modules: module paths; empty for every core module.
        marker: the pytest `-m` expression, `""` for every test.
        survivors: test again only the mutants of `modules` that
            `docs/mutation.json` lists as surviving (after new tests).
        max_children: mutmut's worker processes. Defaults to `1`.
    """
    modules = [check_module(module) for module in modules or CORE_MODULES]
    names = list(map(mutant_pattern, modules))
    if survivors:
        entries = _load_results()["modules"]
        alive = [entries.get(module, {}) for module in modules]
        names = [name for entry in alive for name in entry.get("survived", [])]
        names += [name for entry in alive for name in entry.get("no_tests", [])]
        if not names:
            sys.exit(f"docs/mutation.json lists no survivor in {', '.join(modules)}.")
    killers_path = MUTANTS / "killers.jsonl"
    MUTANTS.mkdir(exist_ok=True)
    killers_path.unlink(missing_ok=True)
    env = {**os.environ, KILLERS_ENV: str(killers_path.resolve())}
    options = ["-p", "iris_keras.mutation"] + (["-m", marker] if marker else [])
    env["PYTEST_ADDOPTS"] = " ".join(f"'{option}'" for option in options)
    command = ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run"]
    command += ["--max-children", str(max_children), *names]
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    status = subprocess.run(command, env=env).returncode
    seconds = time.monotonic() - started
    if status != 0:
        sys.exit(f"mutmut failed with exit status {status}; docs/mutation.json is unchanged.")
    collect(modules, seconds=seconds, marker=marker, tested=len(names) if survivors else None)


def collect(modules, *, seconds, marker, tested=None):
    """Records the outcomes mutmut left in `mutants/` for `modules`, then the report.

    Args:
        modules: the module paths the run tested.
        seconds: the run's wall time.
        marker: the pytest `-m` expression of the run.
        tested: how many mutants the run tested. Defaults to every mutant
            of `modules` that has an outcome.
    """
    results = _load_results()
    killers = read_killers(MUTANTS / "killers.jsonl")
    outcomes_by_module = {module: read_outcomes(module) for module in modules}
    if tested is None:
        tested = sum(
            code is not None
            for outcomes in outcomes_by_module.values()
            for code in outcomes.values()
        )
    for module, outcomes in outcomes_by_module.items():
        previous = results["modules"].get(module, {})
        entry = summarize(module, outcomes, killers, previous, marker)
        entry["diffs"] = {name: _diff(name) for name in [*entry["survived"], *entry["no_tests"]]}
        results["modules"][module] = entry
    results["runs"].append(
        {
            "date": date.today().isoformat(),
            "modules": list(modules),
            "mutants": tested,
            "seconds": round(seconds),
            "machine": f"{os.cpu_count()} CPU cores, shared",
        }
    )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_report(results)


def _load_results():
    if RESULTS.is_file():
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    return {"modules": {}, "runs": []}


def write_report(results=None):
    """Renders `docs/mutation.md` from `docs/mutation.json` and the verdicts."""
    results = results or _load_results()
    REPORT.write_text(render(results, load_verdicts()), encoding="utf-8")
    print(f"wrote {REPORT}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m iris_keras.mutation")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run mutmut on modules, update the report")
    run_parser.add_argument("modules", nargs="*", help="module paths; default: every core module")
    run_parser.add_argument("--marker", default="not slow", help='pytest -m; "" for every test')
    run_parser.add_argument(
        "--survivors", action="store_true", help="test only the survivors of the last run again"
    )
    collect_parser = commands.add_parser(
        "collect", help="record what an interrupted run left in mutants/, update the report"
    )
    collect_parser.add_argument("modules", nargs="+", help="module paths the run tested")
    collect_parser.add_argument("--seconds", type=float, required=True, help="its wall time")
    collect_parser.add_argument("--marker", default="not slow", help="its pytest -m")
    commands.add_parser("report", help="render docs/mutation.md from docs/mutation.json")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.modules, marker=args.marker, survivors=args.survivors)
    elif args.command == "collect":
        modules = [check_module(module) for module in args.modules]
        collect(modules, seconds=args.seconds, marker=args.marker)
    else:
        write_report()


if __name__ == "__main__":
    main()
