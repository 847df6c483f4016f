"""The outcomes of `make mutate`: mutmut's exit codes, samples, and a module's record.

mutmut keeps each module's outcomes in `mutants/<module>.meta`;
`summarize` turns them into the module's entry of `docs/developers/mutation.json`,
keeping what earlier runs (a sample's other mutants, another backend) found.
"""

import json
import random
import sys
from datetime import date
from pathlib import Path

from tools.mutation.page import CORE_MODULES

MUTANTS = Path("mutants")
# mutmut's exit codes of a tested mutant (mutmut/stats.py): 1 and 3 are a failing
# test, 2 a test module that fails to import (pytest stops before running a test:
# the suite fails), 0 a passing suite, 33 and 5 no test reaching the mutant, the
# rest timeouts.
KILLED, SURVIVED, NO_TESTS = {1, 2, 3}, {0}, {5, 33}
TIMEOUTS = {24, -24, 152, 255, 36, -9}
# Which outcome wins when two runs (two backends, or a rerun) tested one mutant.
RANK = {"not checked": 0, "no tests": 1, "suspicious": 2, "survived": 2, "timeout": 3, "killed": 3}


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


def read_outcomes(module, root=Path(".")):
    """`{mutant: exit code}` of one module from mutmut's `mutants/<module>.meta` under `root`."""
    meta = root / MUTANTS / f"{module}.meta"
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def all_mutants(module):
    """Every mutant name of `module`, as mutmut names them, without running anything."""
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    mutated = mutate_file_contents(module, Path(module).read_text(encoding="utf-8"))
    return sorted(get_mutant_name(Path(module), name) for name in mutated.mutant_names)


def untested(names, previous):
    """The mutants of `names` that `previous` (the module's entry) has no outcome for."""
    if not previous:
        return list(names)
    not_checked = set(previous.get("not_checked", []))
    return [name for name in names if name in not_checked]


def sample(module, names, size, seed):
    """A random sample of `size` of `names`: the first `size` of a seeded shuffle.

    The same module, names and seed give the same shuffle, so a larger `size`
    extends a smaller one's sample, and a run that was stopped tests the same
    sample again (only what it had not tested yet, see `untested`).
    """
    names = sorted(names)
    random.Random(f"{seed}:{module}").shuffle(names)
    return sorted(names[:size])


def read_killers(path):
    """`{mutant: test}`: the last test recorded failing on each mutant."""
    killers = {}
    if Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            killers[entry["mutant"]] = entry["test"]
    return killers


def summarize(module, outcomes, killers, previous, marker, sampled=None, on="tensorflow"):
    """The `docs/developers/mutation.json` entry of one module after a run.

    Args:
        module: the module's path.
        outcomes: `{mutant: exit code}` from mutmut; `None` for a mutant
            this run did not test, which keeps its outcome in `previous`.
        killers: `{mutant: test}` recorded during the run.
        previous: the module's entry before this run, or `{}`.
        marker: the pytest `-m` expression the mutants were tested with.
        sampled: `{"size": n, "seed": s}` when the run tested a random
            sample of the module's untested mutants, else `None`.
        on: the backend the run tested on. A mutant keeps the best outcome
            any backend gave it: killed, then survived, then no test (a
            branch for JAX is reached by the tests only on JAX).

    Returns:
        A JSON-able dict: counts, the survivors, and the mutants that
        survived an earlier run with the test that kills them now.
    """
    # Outcomes recorded for another count of mutants (none, or a module changed since) do
    # not apply; the names of former survivors still do.
    same_module = previous if previous.get("mutants") == len(outcomes) else {}
    status = {name: _status(code) for name, code in outcomes.items()}
    earlier = _previous_status(same_module, outcomes)
    status = {name: max(value, earlier[name], key=RANK.get) for name, value in status.items()}
    backends = {on, *(same_module.get("backends", ["tensorflow"]) if same_module else [])}
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
        "sample": _sample_record(previous.get("sample"), sampled, status),
        "backends": sorted(backends),
    }


def _previous_status(previous, names):
    """`{mutant: status}` that `previous` records for `names`, killed unless listed otherwise."""
    if not previous:
        return dict.fromkeys(names, "not checked")
    listed = {}
    for key, value in [
        ("not_checked", "not checked"),
        ("survived", "survived"),
        ("no_tests", "no tests"),
        ("timeout", "timeout"),
    ]:
        listed.update(dict.fromkeys(previous.get(key, []), value))
    return {name: listed.get(name, "killed") for name in names}


def _sample_record(earlier, sampled, status):
    """How the module's tested mutants were chosen: `None` for all of them."""
    if not any(value == "not checked" for value in status.values()):
        return None
    return sampled or earlier


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
