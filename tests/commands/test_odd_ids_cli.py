"""CLI: an id holding `/`, `?`, `.` or `..` is one id: a 404 in one line, exit 1."""

from __future__ import annotations

import pytest

CASES = [("batch", "show", "msgbatch_x/results"), ("batch", "results", "msgbatch_x/results"),
         ("batch", "cancel", "msgbatch_x/cancel"), ("batch", "delete", "a/../b"),
         ("batch", "show", ".."), ("files", "show", "file_x/content"), ("files", "show", "."),
         ("files", "delete", "a?b#c"), ("skills", "show", "skill_x/versions"),
         ("skills", "versions", "..")]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_odd_ids_are_a_clear_not_found(wb, args):
    code, out, err = wb(*args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "404 not_found_error" in err and args[-1] in err


def test_an_empty_id_is_a_usage_error(wb):
    code, _, err = wb("batch", "show", "")
    assert code == 2 and err == "workbench batch: the batch id is empty\n"
