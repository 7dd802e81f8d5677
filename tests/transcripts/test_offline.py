"""Loading and running the model never touches the network.

The proof runs in a child process (an audit hook cannot be removed again):
every connection and name look-up made through Python's socket module is
recorded and refused, ``HF_HUB_OFFLINE=1`` is set and the Hugging Face cache
is an empty folder. Where the machine allows it (root, as in CI) the child
also runs in a network namespace of its own, with no interface but a
loopback that is down, so the native libraries (CTranslate2, tokenizers,
ONNX Runtime) cannot reach anything either.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.transcripts.model_files import ModelUnavailable, locate

from ..conftest import need
from .conftest import EXPECTED, need_recogniser

ROOT = Path(__file__).resolve().parents[2]

HARNESS = """
import json, sys
attempts = []

def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "socket.gethostbyname_ex", "socket.sendto", "socket.sendmsg"):
        attempts.append(f"{event} {args!r}"[:300])
        raise OSError(f"network blocked by the test ({event})")

sys.addaudithook(refuse)
sys.path.insert(0, sys.argv[1])
result = {}
try:
    exec(sys.argv[2], {"result": result, "argv": sys.argv[3:]})
except Exception as err:
    result["error"] = repr(err)
print(json.dumps({"attempts": attempts, **result}))
"""

TRANSCRIBE = """
from pathlib import Path
from mediahub.transcripts import engine
recogniser = engine.load(None, Path(argv[0]))
result["text"] = " ".join(s.text for s in recogniser.transcribe(Path(argv[1]), language="de"))
"""


@cache
def network_namespace() -> list[str]:
    """``unshare -n`` when this machine lets us make a network namespace."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    ok = subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=10, check=False)
    return [unshare, "-n"] if ok.returncode == 0 else []


def run_blocked(code: str, *args: str, tmp_path: Path) -> dict:
    hf_home = tmp_path / "empty-hf-home"
    hf_home.mkdir()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(hf_home),
        "HF_HUB_CACHE": str(hf_home / "hub"),
    }
    command = [*network_namespace(), sys.executable, "-c", HARNESS, str(ROOT), code, *args]
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.model
def test_model_is_loaded_and_run_with_the_network_blocked(
    german: SimpleNamespace, tmp_path: Path
) -> None:
    """A fresh cache (the parts are joined again) and a fresh process."""
    need_recogniser()
    result = run_blocked(TRANSCRIBE, str(tmp_path / "cache"), str(german.path), tmp_path=tmp_path)
    assert result["attempts"] == []
    assert "error" not in result, result
    words = {w.strip(".,!?").lower() for w in result["text"].split()}
    assert len(words & set(EXPECTED)) >= len(EXPECTED) - 1, result["text"]


def test_the_namespace_has_no_network(tmp_path: Path) -> None:
    """Under CI (root) the child really has no network, native code included:
    even the loopback is unreachable there (outside, port 9 would refuse)."""
    need(bool(network_namespace()), "no network namespace here (unshare -n needs root)")
    probe = (
        "import errno, json, socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
        "except OSError as err:\n"
        "    print(json.dumps(errno.errorcode.get(err.errno, str(err))))\n"
    )
    done = subprocess.run(
        [*network_namespace(), sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert json.loads(done.stdout) == "ENETUNREACH"


def test_the_block_notices_a_connection(tmp_path: Path) -> None:
    """The harness is no blindfold: a library that connects is caught."""
    result = run_blocked(
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/', timeout=2)",
        tmp_path=tmp_path,
    )
    assert result["attempts"] and result["attempts"][0].startswith("socket.")
    assert "network blocked" in result["error"] or "URLError" in result["error"]


def test_a_model_without_its_tokenizer_is_refused(tmp_path: Path) -> None:
    """faster-whisper would fetch a missing tokenizer from the Hub: never load one."""
    for name in ("model.bin", "config.json", "vocabulary.json"):
        (tmp_path / name).write_bytes(b"{}")
    with pytest.raises(ModelUnavailable, match=r"tokenizer\.json missing"):
        locate(str(tmp_path))


@pytest.mark.parametrize("name", ["base", "small", "Systran/faster-whisper-base", "openai/x"])
def test_a_model_name_is_never_a_download(name: str) -> None:
    """faster-whisper downloads "base" or a Hub id; for us it is an error."""
    with pytest.raises(ModelUnavailable):
        locate(name)
