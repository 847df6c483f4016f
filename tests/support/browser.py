"""Headless Chromium for the browser tests, and the servers they open in it.

The browser is Debian's `chromium` with `chromium-driver`, driven by
Selenium; nothing is downloaded at test time (Selenium Manager is never
asked: both paths are given). Without them the tests skip with a message,
except in CI (`CI` set), where `.ci/run` installs them and a missing browser
fails. Servers bind 127.0.0.1 on a free port and are stopped by the test.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

CHROMIUM = ("chromium", "chromedriver")


def start_chromium():
    """A headless Chromium WebDriver that records every network request it makes."""
    paths = [shutil.which(name) for name in CHROMIUM]
    if not all(paths):
        message = "headless Chromium missing: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (.ci/run installs them in CI)")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_script_timeout(300)
    return driver


def requested_urls(driver):
    """Every URL the browser requested since the last call (from the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url, *, process, timeout):
    """Polls `url` until it answers 200; fails if `process` exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with status {process.returncode} before {url} answered")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return response.read()
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def server(command, *, cwd, log_path, env=None):
    """Runs `command` in its own process group; stops the whole group on exit."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
