"""Which device a run uses: the backend's GPU when asked for or found, else the CPU."""

import re

import pytest

from iris_keras import backend
from iris_keras.common.machine import cpu_description, select_device
from iris_keras.errors import IrisKerasError, UsageError


@pytest.fixture
def gpus(monkeypatch):
    """Pretends the backend sees the GPUs a test sets; records `hide_gpus` calls."""
    seen, hidden = [], []
    monkeypatch.setattr(backend, "gpu_names", lambda: list(seen))
    monkeypatch.setattr(backend, "hide_gpus", lambda: hidden.append(True))
    return seen, hidden


def test_auto_takes_the_first_gpu(gpus):
    seen, hidden = gpus
    seen += ["NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3"]
    assert select_device() == "GPU: NVIDIA H100 80GB HBM3"
    assert select_device("gpu") == "GPU: NVIDIA H100 80GB HBM3"
    assert hidden == []


def test_cpu_hides_the_gpus(gpus):
    seen, hidden = gpus
    seen.append("NVIDIA H100 80GB HBM3")
    assert select_device("cpu") == cpu_description()
    assert hidden == [True]


def test_without_a_gpu_auto_and_cpu_run_on_the_cpu_and_hide_nothing(gpus):
    _, hidden = gpus
    assert select_device("auto") == select_device("cpu") == cpu_description()
    assert hidden == []


def test_gpu_without_a_gpu_says_what_to_do(gpus):
    with pytest.raises(IrisKerasError) as error:
        select_device("gpu")
    assert str(error.value) == (
        f"Received device='gpu', but the {backend.name()} backend sees no GPU on this "
        "machine. Use --device auto or --device cpu."
    )


@pytest.mark.parametrize("device", ["GPU", "tpu", ""])
def test_an_unknown_device_is_named(gpus, device):
    with pytest.raises(UsageError, match=re.escape("`device`") + f".*Received: device={device!r}"):
        select_device(device)


def test_the_cpu_is_described_by_model_and_cores():
    assert re.fullmatch(r"CPU: .+, \d+ cores", cpu_description())


def test_without_proc_cpuinfo_the_cpu_is_named_by_the_platform(monkeypatch):
    from iris_keras.common import machine as device

    def no_cpuinfo(*args, **kwargs):
        raise OSError(2, "No such file or directory")

    monkeypatch.setitem(device.__dict__, "open", no_cpuinfo)
    monkeypatch.setattr(device.platform, "processor", lambda: "")
    monkeypatch.setattr(device.platform, "machine", lambda: "arm64")
    assert re.fullmatch(r"CPU: arm64, \d+ cores", cpu_description())


def test_the_cpu_is_named_by_proc_cpuinfo(monkeypatch):
    import io

    from iris_keras.common import machine as device

    cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13: 64-Core\nflags\t: fpu\n"

    def fake_open(path, *args, **kwargs):
        if path != "/proc/cpuinfo":
            raise OSError(2, "No such file or directory")
        return io.StringIO(cpuinfo)

    monkeypatch.setitem(device.__dict__, "open", fake_open)
    monkeypatch.setattr(device.platform, "processor", lambda: "x86_64")
    assert re.fullmatch(r"CPU: AMD EPYC 7B13: 64-Core, \d+ cores", cpu_description())
