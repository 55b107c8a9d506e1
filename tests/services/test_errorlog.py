"""Key masking in free text, and the log file under the user state dir."""

from __future__ import annotations

from pathlib import Path

from workbench import paths
from workbench.services import errorlog
from workbench.services.keys import scrub_keys


def test_scrub_keys_masks_key_shaped_text_and_known_keys() -> None:
    key = "sk-ant-api03-abcdefghijklmnop-XYZ_1234"
    text = f"header x-api-key: {key}; other token-of-a-gateway-99 and sk-ant-x"
    out = scrub_keys(text, "token-of-a-gateway-99", "k", None)
    assert key not in out and "sk-ant-…1234" in out
    assert "token-of-a-gateway-99" not in out and "tok…y-99" in out
    assert "sk-ant-x" in out  # too short to be a key: left alone
    assert scrub_keys("nothing secret") == "nothing secret"


def test_the_log_is_under_the_state_dir_and_follows_the_home(isolated_home: Path,
                                                             tmp_path: Path,
                                                             monkeypatch) -> None:
    assert paths.log_file() == isolated_home / "state" / "workbench.log"
    try:
        raise ValueError("with sk-ant-api03-" + "z" * 30)
    except ValueError as exc:
        where = errorlog.log_exception("a task", exc)
    text = where.read_text(encoding="utf-8")
    assert "a task: ValueError" in text and "Traceback" in text and "z" * 30 not in text

    other = tmp_path / "elsewhere"
    monkeypatch.setenv("WORKBENCH_HOME", str(other))
    errorlog.logger().error("second home")
    assert "second home" in (other / "state" / "workbench.log").read_text(encoding="utf-8")
    assert "second home" not in where.read_text(encoding="utf-8")
