"""`make mutate`: mutation testing of the core with mutmut, and its report.

mutmut 3 copies the package into `mutants/` (git-ignored), compiles every
mutant of every function into it behind a switch, runs the fast tests once
to learn which tests reach which function, then tests each mutant in a
child forked from one warm pytest process, so TensorFlow is imported once
per run, not once per mutant.

    python -m tools.mutation run iris_keras/batches.py ...   # `make mutate`
    python -m tools.mutation report                           # `make mutation-report`

`run` tests the mutants of the named modules and records their outcome in
`docs/developers/mutation.json`, module by module, so a run of a few modules updates
their rows and keeps the others. `report` renders `docs/developers/mutation.md` from
that file and the verdicts of `docs/developers/mutation-equivalent.toml`: a mutant that
survives is either listed there as equivalent, with its reason, or counted
as a survivor that a test still has to kill. A mutant that survived an
earlier run and is killed now is named with the test that kills it, which
this module records as a pytest plugin (`-p tools.mutation.runner`) in the
mutmut children. Not part of `make test`: NumPy and the standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from tools.mutation.outcomes import (
    MUTANTS,
    all_mutants,
    check_module,
    mutant_pattern,
    read_killers,
    read_outcomes,
    sample,
    summarize,
    untested,
)
from tools.mutation.page import (
    CORE_MODULES,
    RESULTS,
    load_results,
    load_verdicts,
    write_report,
)

KILLERS_ENV = "IRIS_KERAS_MUTATION_KILLERS"


def pytest_runtest_logreport(report):
    """pytest hook, in mutmut's children: records the first test that fails on a mutant."""
    mutant, killers = os.environ.get("MUTANT_UNDER_TEST", ""), os.environ.get(KILLERS_ENV)
    if report.failed and killers and "__mutmut_" in mutant:
        with open(killers, "a", encoding="utf-8") as file:
            file.write(json.dumps({"mutant": mutant, "test": report.nodeid}) + "\n")


def backend():
    """The Keras backend this environment runs, as its `.pth` file or the caller sets it."""
    return os.environ.get("KERAS_BACKEND") or "tensorflow"


def working_folder(name):
    """The folder mutmut runs in for backend `name`: the repository for TensorFlow,
    else `build/mutation-<name>/`.

    Each backend keeps its own `mutants/` (mutmut's mutants, its record of which
    test reaches which function, and the outcomes), so a JAX run does not reuse
    what TensorFlow's run learned, and the other way round.
    """
    return Path(".") if name == "tensorflow" else Path("build") / f"mutation-{name}"


def working_copy(name):
    """`working_folder(name)`, holding for another backend than TensorFlow a fresh
    copy of the files git tracks or would track."""
    root = working_folder(name)
    if name == "tensorflow":
        return root
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for path in filter(None, listed.split("\0")):
        source, target = Path(path), root / path
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree, not yet in git
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.is_file():
            target.unlink()
        shutil.copy2(source, target, follow_symlinks=False)
    return root


def _diff(mutant, root):
    result = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", mutant], capture_output=True, text=True, cwd=root
    )
    return [line for line in result.stdout.splitlines() if line[:1] in "+-@"][:12]


def run(modules, *, marker, survivors=False, size=None, seed=0, jobs=1, fresh=False):
    """Runs mutmut on `modules`, then updates `docs/developers/mutation.json` and the report.

    Args:
        modules: module paths; empty for every core module.
        marker: the pytest `-m` expression, `""` for every test.
        survivors: test again the mutants of `modules` that
            `docs/developers/mutation.json` lists as surviving (after new tests).
        size: test the mutants of each module's random `sample` of this
            size that have no outcome yet; `None` tests every mutant,
            unless `survivors`.
        seed: the sample's seed.
        jobs: mutmut's worker processes. Defaults to `1`.
        fresh: forget the outcomes `docs/developers/mutation.json` records for
            `modules` and test their sample (or every mutant) again.
    """
    modules = [check_module(module) for module in modules or CORE_MODULES]
    entries = {} if fresh else load_results()["modules"]
    sampled = None if size is None else {"size": size, "seed": seed}
    names = _names_to_test(modules, entries, survivors=survivors, size=size, seed=seed)
    if not names:
        print(
            f"docs/developers/mutation.json has an outcome for every mutant of the sample of "
            f"{len(modules)} module(s); FRESH=1 tests them again."
        )
        write_report()
        return
    on = backend()
    root = working_copy(on)
    killers_path = root / MUTANTS / "killers.jsonl"
    killers_path.parent.mkdir(parents=True, exist_ok=True)
    killers_path.unlink(missing_ok=True)
    env = {**os.environ, KILLERS_ENV: str(killers_path.resolve())}
    options = ["-p", "tools.mutation.runner"] + (["-m", marker] if marker else [])
    env["PYTEST_ADDOPTS"] = " ".join(f"'{option}'" for option in options)
    command = ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run"]
    command += ["--max-children", str(jobs), *names]
    print(f"$ cd {root} &&", " ".join(command[:8]), f"... ({len(names)} names)", flush=True)
    started = time.monotonic()
    status = subprocess.run(command, env=env, cwd=root).returncode
    seconds = time.monotonic() - started
    if status != 0:
        sys.exit(
            f"mutmut failed with exit status {status}; docs/developers/mutation.json is unchanged."
        )
    tested = len(names) if survivors or size is not None else None
    collect(
        modules,
        seconds=seconds,
        marker=marker,
        tested=tested,
        sampled=sampled,
        root=root,
        previous=entries if fresh else None,  # else what is recorded by then (another backend)
        jobs=jobs,
    )


def _names_to_test(modules, entries, *, survivors, size, seed):
    """The mutmut names `run` tests: survivors, an untested sample, or whole modules."""
    names = []
    if survivors:
        alive = [entries.get(module, {}) for module in modules]
        verdicts = load_verdicts()
        names += [
            name
            for entry in alive
            for name in [*entry.get("survived", []), *entry.get("no_tests", [])]
            if name not in verdicts
        ]
    if size is not None:
        for module in modules:
            drawn = sample(module, all_mutants(module), size, seed)
            names += untested(drawn, entries.get(module))
    if not (survivors or size is not None):
        names = list(map(mutant_pattern, modules))
    return names


def collect(
    modules, *, seconds, marker, tested=None, sampled=None, root=None, previous=None, jobs=1
):
    """Records the outcomes mutmut left in `mutants/` for `modules`, then the report.

    Args:
        modules: the module paths the run tested.
        seconds: the run's wall time.
        marker: the pytest `-m` expression of the run.
        tested: how many mutants the run tested. Defaults to every mutant
            of `modules` that has an outcome.
        sampled: `{"size": n, "seed": s}` for a sampled run, else `None`.
        root: the folder mutmut ran in. Defaults to this backend's
            `working_folder`.
        previous: the modules' entries to merge the outcomes into.
            Defaults to those of `docs/developers/mutation.json`.
        jobs: mutmut's worker processes in the run. Defaults to `1`.
    """
    on = backend()
    root = working_folder(on) if root is None else root
    results = load_results()
    earlier = results["modules"] if previous is None else previous
    killers = read_killers(root / MUTANTS / "killers.jsonl")
    outcomes_by_module = {module: read_outcomes(module, root) for module in modules}
    if tested is None:
        tested = sum(
            code is not None
            for outcomes in outcomes_by_module.values()
            for code in outcomes.values()
        )
    for module, outcomes in outcomes_by_module.items():
        entry = summarize(module, outcomes, killers, earlier.get(module, {}), marker, sampled, on)
        alive = [*entry["survived"], *entry["no_tests"]]
        entry["diffs"] = {name: _diff(name, root) for name in alive}
        results["modules"][module] = entry
    results["runs"].append(
        {
            "date": date.today().isoformat(),
            "modules": list(modules),
            "mutants": tested,
            "seconds": round(seconds),
            "workers": jobs,
            "machine": f"{os.cpu_count()} CPU cores, shared",
            "backend": on,
        }
    )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_report(results)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.mutation")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run mutmut on modules, update the report")
    run_parser.add_argument("modules", nargs="*", help="module paths; default: every core module")
    run_parser.add_argument("--marker", default="not slow", help='pytest -m; "" for every test')
    run_parser.add_argument(
        "--survivors", action="store_true", help="test only the survivors of the last run again"
    )
    run_parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="test each module's first N mutants of a seeded shuffle, those not yet tested",
    )
    run_parser.add_argument("--seed", type=int, default=0, help="the sample's seed")
    run_parser.add_argument("--jobs", type=int, default=1, help="mutmut's worker processes")
    run_parser.add_argument(
        "--fresh", action="store_true", help="test again what docs/developers/mutation.json records"
    )
    collect_parser = commands.add_parser(
        "collect", help="record what an interrupted run left in mutants/, update the report"
    )
    collect_parser.add_argument("modules", nargs="+", help="module paths the run tested")
    collect_parser.add_argument("--seconds", type=float, required=True, help="its wall time")
    collect_parser.add_argument("--marker", default="not slow", help="its pytest -m")
    collect_parser.add_argument("--sample", type=int, metavar="N", help="its sample size")
    collect_parser.add_argument("--seed", type=int, default=0, help="its sample's seed")
    collect_parser.add_argument("--jobs", type=int, default=1, help="its worker processes")
    commands.add_parser(
        "report", help="render docs/developers/mutation.md from docs/developers/mutation.json"
    )
    args = parser.parse_args(argv)
    if args.command == "run":
        run(
            args.modules,
            marker=args.marker,
            survivors=args.survivors,
            size=args.sample,
            seed=args.seed,
            jobs=args.jobs,
            fresh=args.fresh,
        )
    elif args.command == "collect":
        modules = [check_module(module) for module in args.modules]
        sampled = None if args.sample is None else {"size": args.sample, "seed": args.seed}
        collect(modules, seconds=args.seconds, marker=args.marker, sampled=sampled, jobs=args.jobs)
    else:
        write_report()


if __name__ == "__main__":
    main()
