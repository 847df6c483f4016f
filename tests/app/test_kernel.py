"""The project's Jupyter kernel: its spec, its installation, and a quiet start.

The browser and notebook tests start the kernel for real, in other
processes; these check in this one what each part promises.
"""

import json
import logging
import sys

import pytest

from iris_keras.app import kernel


def test_the_spec_runs_this_python_quietly_on_the_chosen_backend(monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    spec = kernel.kernel_spec()
    assert spec == {
        "argv": [sys.executable, "-m", "iris_keras.app.kernel", "-f", "{connection_file}"],
        "display_name": "Python (iris-keras)",
        "language": "python",
        "env": {"TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"},
        "metadata": {"debugger": True},
    }
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert kernel.kernel_spec(python="/venv/bin/python")["env"]["KERAS_BACKEND"] == "jax"
    assert kernel.kernel_spec(python="/venv/bin/python")["argv"][0] == "/venv/bin/python"
    assert kernel.kernel_spec(backend="torch")["env"]["KERAS_BACKEND"] == "torch"


def test_install_writes_the_spec_where_jupyter_looks(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    folder = kernel.install(prefix=str(tmp_path), backend="torch")
    assert folder == tmp_path / "share" / "jupyter" / "kernels" / "iris-keras"
    spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    assert spec == kernel.kernel_spec(backend="torch")


def test_main_install_says_where(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(kernel, "install", lambda: tmp_path / "iris-keras")
    monkeypatch.setattr(kernel, "_start_kernel", lambda: pytest.fail("started a kernel"))
    kernel.main(["install"])
    assert capsys.readouterr().out == (
        f"Installed the Jupyter kernel 'iris-keras' in {tmp_path / 'iris-keras'}\n"
    )


def test_the_plain_tcp_notice_is_dropped_and_nothing_else():
    notice = kernel._NoTransportNotice()
    record = logging.LogRecord("IPKernelApp", logging.WARNING, "", 0, "", None, None)
    record.msg = "Kernel is running without encryption on 127.0.0.1."
    assert notice.filter(record) is False
    record.msg = "Kernel died"
    assert notice.filter(record) is True


def test_starting_imports_the_backend_quietly_then_launches_ipykernel(monkeypatch):
    from ipykernel import kernelapp

    from iris_keras.backend import quiet as quiet_import

    calls = []
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.setattr(quiet_import, "import_quietly", lambda name: calls.append(("import", name)))
    monkeypatch.setattr(kernelapp, "launch_new_instance", lambda: calls.append(("launch",)))
    logger = logging.getLogger("IPKernelApp")
    monkeypatch.setattr(logger, "filters", [])
    kernel.main(["-f", "connection.json"])
    assert calls == [("import", "jax"), ("launch",)]
    assert [type(item) for item in logger.filters] == [kernel._NoTransportNotice]
    assert kernel.os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    monkeypatch.delenv("KERAS_BACKEND")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")  # a user's own setting stays
    kernel.main(["-f", "connection.json"])
    assert calls[-2] == ("import", "tensorflow")
    assert kernel.os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_main_reads_the_command_line_by_default(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(sys, "argv", ["iris_keras.app.kernel", "install"])
    monkeypatch.setattr(kernel, "install", lambda: tmp_path)
    monkeypatch.setattr(kernel, "_start_kernel", lambda: pytest.fail("started a kernel"))
    kernel.main()
    assert "Installed the Jupyter kernel" in capsys.readouterr().out
