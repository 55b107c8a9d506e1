"""Datasets (CSV with a header row, or JSONL of objects) -> Message Batch requests.

Rows are read streaming so a large dataset never sits whole in memory; every error names the
row so the user can fix the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.api.rules import BATCH_LIMIT, BATCH_MAX_REQUESTS, custom_id_ok
from workbench.services.templates import MissingVariables, render

# Per batch; read at call time, so tests can make them small.
MAX_REQUESTS = BATCH_MAX_REQUESTS
MAX_BYTES = BATCH_LIMIT


class DatasetError(ValueError):
    """A bad dataset file or row; the message names the row number (1 = first data row)."""


DATASET_SUFFIXES = (".csv", ".jsonl", ".ndjson")  # named in a folder hint (.json too is read)


def check_dataset_file(path: str | Path) -> Path:
    """`path` if it can be a dataset; else DatasetError saying why (missing, a folder, ...).

    Called before any work so a folder is named as one (with the datasets it holds), not
    reported as a missing file.
    """
    path = Path(path)
    if path.is_dir():
        try:
            inside = sorted(p.name for p in path.iterdir()
                            if p.suffix.lower() in DATASET_SUFFIXES and p.is_file())
        except OSError:
            inside = []
        more = ", …" if len(inside) > 3 else ""
        hint = f" (in it: {', '.join(inside[:3])}{more})" if inside else ""
        raise DatasetError(f"{path}: is a folder; a dataset is a CSV file (header row first) "
                           f"or a JSONL file{hint}")
    if not path.exists():
        raise DatasetError(f"{path}: no such file")
    if not path.is_file():
        raise DatasetError(f"{path}: not a regular file; a dataset is a CSV or JSONL file")
    return path


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield rows as dicts: `.jsonl`/`.ndjson` as JSON objects, anything else as CSV."""
    path = check_dataset_file(path)
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            yield from _jsonl_rows(path)
        else:
            yield from _csv_rows(path)
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                           "save the file as UTF-8") from None


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        row = 0
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row += 1
            try:
                value = json.loads(line)
            except (ValueError, RecursionError) as exc:  # also a 5,000-digit number, [[[[…
                why = getattr(exc, "msg", None) or (
                    "nested too deeply" if isinstance(exc, RecursionError) else str(exc))
                raise DatasetError(f"row {row} (line {lineno}): not valid JSON: {why}") from None
            if not isinstance(value, dict):
                raise DatasetError(
                    f"row {row} (line {lineno}): expected a JSON object, got {type(value).__name__}")
            yield value


def _csv_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise DatasetError(f"{path}: empty CSV (a header row is needed)") from None
        except csv.Error as exc:
            raise DatasetError(f"header row: {exc}") from None
        if not header or any(not h.strip() for h in header):
            raise DatasetError("header row: every column needs a name")
        row = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise DatasetError(f"row {row + 1}: bad CSV: {exc}") from None
            if not cells:
                continue
            row += 1
            if len(cells) != len(header):
                raise DatasetError(
                    f"row {row}: {len(cells)} cells, the header has {len(header)} columns")
            yield dict(zip(header, cells, strict=True))


def check_custom_id(value: str, row: int) -> str:
    if not custom_id_ok(value):
        raise DatasetError(
            f"row {row}: custom_id {value!r} must be 1-64 characters of letters, digits, _ or -")
    return value


def build_requests(body: dict[str, Any], rows: Iterable[dict[str, Any]], *,
                   id_column: str | None = None) -> Iterator[dict[str, Any]]:
    """One `{"custom_id", "params"}` per row; ids from `id_column` or `row-N`, checked unique."""
    seen: set[str] = set()
    template = {k: v for k, v in body.items() if k != "stream"}
    for n, row in enumerate(rows, 1):
        if id_column is not None:
            if id_column not in row:
                raise DatasetError(f"row {n}: no column {id_column!r} for the custom_id")
            cid = str(row[id_column])
        else:
            cid = f"row-{n}"
        check_custom_id(cid, n)
        if cid in seen:
            raise DatasetError(f"row {n}: custom_id {cid!r} is used twice")
        seen.add(cid)
        try:
            params = render(template, row)
        except MissingVariables as exc:
            raise DatasetError(f"row {n}: {exc}") from None
        yield {"custom_id": cid, "params": params}


def split_batches(requests: Iterable[dict[str, Any]], *, max_requests: int = MAX_REQUESTS,
                  max_bytes: int = MAX_BYTES) -> Iterator[list[dict[str, Any]]]:
    """Group requests into batches under both limits (the JSON body incl. its envelope)."""
    envelope = len(b'{"requests":[]}')
    chunk: list[dict[str, Any]] = []
    size = envelope
    for req in requests:
        n = len(json.dumps(req, ensure_ascii=False).encode("utf-8")) + 2  # + ", "
        if n + envelope > max_bytes:
            raise DatasetError(f"request {req.get('custom_id')}: {n} bytes, over the batch limit")
        if chunk and (len(chunk) >= max_requests or size + n > max_bytes):
            yield chunk
            chunk, size = [], envelope
        chunk.append(req)
        size += n
    if chunk:
        yield chunk


def preview(requests: Iterable[dict[str, Any]], n: int = 3) -> list[dict[str, Any]]:
    out = []
    for req in requests:
        if len(out) >= n:
            break
        out.append(req)
    return out


@dataclass
class CostEstimate:
    requests: int = 0
    input_tokens: int = 0
    max_output_tokens: int = 0
    usd: float | None = 0.0
    assumption: str = field(default=(
        "input from the local token estimate; output assumed to reach max_tokens "
        "(an upper bound); batch discount 50%"))


def estimate_cost(requests: Iterable[dict[str, Any]]) -> CostEstimate:
    """Upper-bound cost of a batch run: every reply is assumed to use all of max_tokens."""
    from workbench.services.pricing import cost_usd
    from workbench.services.tokens import estimate_request

    est = CostEstimate()
    for req in requests:
        params = req["params"]
        inp = estimate_request(params).total
        out = int(params.get("max_tokens") or 0)
        est.requests += 1
        est.input_tokens += inp
        est.max_output_tokens += out
        cost = cost_usd(str(params.get("model", "")),
                        {"input_tokens": inp, "output_tokens": out}, batch=True)
        est.usd = None if cost is None or est.usd is None else est.usd + cost
    return est

