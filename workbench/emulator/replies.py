"""Deterministic replies that read naturally: the same request always gets the same answer.

A reply is planned once (blocks, stop reason, usage) and then either returned whole or streamed
as SSE events; both views come from the same plan, so they always agree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

from workbench.emulator import citations, server_tools
from workbench.tokenizer import count_request, pieces

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP = {
    "this", "that", "with", "what", "which", "would", "could", "should", "please", "write",
    "about", "there", "their", "your", "from", "have", "into", "some", "like", "just", "make",
    "give", "tell", "explain", "short", "answer", "sentence", "using", "does", "when", "where",
    "them", "they", "then", "than", "also", "very", "many", "much", "more", "most", "each",
}
_CODE_WORDS = {"code", "function", "script", "python", "example", "implement", "program",
               "class", "snippet", "regex", "sql", "bash", "javascript", "typescript"}
_LONG_WORDS = {"long", "essay", "length", "detailed", "lengthy", "thorough", "extensive"}


@dataclass
class PlannedBlock:
    kind: str                       # text | thinking | tool_use | server_tool_use | raw
    text: str = ""                  # text or thinking
    signature: str = ""
    tool_id: str = ""
    name: str = ""
    input: dict[str, Any] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # a raw block (server tool results)

    def to_content(self) -> dict[str, Any]:
        if self.kind == "raw":
            return self.data
        if self.kind == "server_tool_use":
            return {"type": "server_tool_use", "id": self.tool_id, "name": self.name,
                    "input": self.input}
        if self.citations:
            return {"type": "text", "text": self.text, "citations": self.citations}
        if self.kind == "thinking":
            return {"type": "thinking", "thinking": self.text, "signature": self.signature}
        if self.kind == "tool_use":
            return {"type": "tool_use", "id": self.tool_id, "name": self.name, "input": self.input}
        return {"type": "text", "text": self.text}


@dataclass
class Plan:
    blocks: list[PlannedBlock]
    stop_reason: str
    stop_sequence: str | None
    input_tokens: int
    output_tokens: int
    wants_file: bool = False
    stop_details: dict[str, Any] | None = None
    server_counts: dict[str, int] | None = None  # usage.server_tool_use when a tool ran
    outputs_made: bool = False  # code execution made its files (see server_tools)

    def usage(self, service_tier: str = "standard") -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "server_tool_use": dict(self.server_counts) if self.server_counts else None,
            "service_tier": service_tier,
        }


# Left out of a reply's seed: streamed or not, and whatever only cuts the reply short (stop
# sequences, max_tokens) or marks what to cache, the text is the same; then it is cut.
_UNSEEDED = ("stream", "stop_sequences", "max_tokens", "cache_control")
LONG_REPLY_TOKENS = 16_000  # a "long essay" reply, cut by max_tokens like any other


def seed_of(body: dict[str, Any]) -> int:
    """Same request, same reply (see _UNSEEDED)."""
    stable = {k: v for k, v in body.items() if k not in _UNSEEDED}
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(block.get("text", ""))
    return "\n".join(parts)


def _tool_results(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, list):
        return [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
    return []


def keywords(text: str, n: int = 3) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall(text):
        low = word.lower().strip("'-")
        if low not in _STOP and low not in _CODE_WORDS and low not in seen:
            seen.append(low)
    seen.sort(key=len, reverse=True)
    return seen[:n]


def attachments_note(content: Any) -> str:
    """A first line naming the documents and images the user attached, as a model would."""
    if not isinstance(content, list):
        return ""
    seen = []
    for block in content:
        if not isinstance(block, dict) or block.get("type") not in ("document", "image"):
            continue
        source = block.get("source") or {}
        name = block.get("title") or source.get("file_id") or source.get("url") or (
            source.get("media_type") or "attached")
        seen.append(f"the {block['type']} {name}")
    if not seen:
        return ""
    return "I read " + (seen[0] if len(seen) == 1 else ", ".join(seen[:-1]) + " and " +
                        seen[-1]) + "."


def plan_reply(body: dict[str, Any]) -> Plan:
    rng = random.Random(seed_of(body))
    messages = body.get("messages") or []
    last = messages[-1] if messages else {"role": "user", "content": ""}
    prefill = _text_of(last.get("content")) if last.get("role") == "assistant" else ""
    user_msgs = [m for m in messages if m.get("role") == "user"]
    last_user = user_msgs[-1] if user_msgs else {"content": ""}
    prompt = _text_of(last_user.get("content"))
    results = _tool_results(last_user.get("content"))
    max_tokens = int(body.get("max_tokens") or 0)
    blocks: list[PlannedBlock] = []

    thinking = body.get("thinking") or {}
    if thinking.get("type") in ("enabled", "adaptive"):
        words = keywords(prompt) or ["the request"]
        thought = (f"The user is asking about {', '.join(words)}. I should answer directly, "
                   f"keep it short, and give a concrete example. Let me check the key facts "
                   f"about {words[0]} first, then structure the answer as a brief list.")
        sig = base64.b64encode(hashlib.sha256(thought.encode()).digest()).decode()
        blocks.append(PlannedBlock("thinking", thought, signature=sig, tokens=pieces(thought)))

    special = server_tools.magic(prompt)
    if special == "refusal":
        return Plan([], "refusal", None, count_request(body), 1,
                    stop_details=dict(server_tools.REFUSAL))
    tool = None if results else choose_tool(body, prompt)
    paused = continued_blocks(last) if last.get("role") == "assistant" else None
    server = None if (tool is not None or results or paused is not None) else \
        server_tools.plan(body, prompt, in_order(prompt, keywords(
            server_tools.MAGIC.sub("", prompt), 6)), seed_of(body))
    sources = citations.cite(messages)
    if paused is not None:
        prefill = ""
        sources = server_tools.search_sources(paused) + sources
    if server is not None:
        blocks += [_raw(b) for b in server.blocks]
        sources = server.sources + sources
    if tool is None and special == "pause_turn" and paused is None:
        if server is None:
            note = "Let me work through this in steps."
            blocks.append(PlannedBlock("text", note, tokens=pieces(note)))
        stop_reason, stop_sequence = "pause_turn", None
    elif tool is not None:
        intro = f"I'll use the {tool['name']} tool for this."
        blocks.append(PlannedBlock("text", intro, tokens=pieces(intro)))
        tool_input = value_for(tool.get("input_schema") or {"type": "object"}, tool["name"], rng,
                               keywords(prompt, 6))
        tool_id = "toolu_01" + hashlib.sha256(repr(seed_of(body)).encode()).hexdigest()[:22]
        blocks.append(PlannedBlock("tool_use", tool_id=tool_id, name=tool["name"],
                                   input=tool_input, tokens=pieces(json.dumps(tool_input))))
        stop_reason, stop_sequence = "tool_use", None
    else:
        text = answer_tool_result(results, rng) if results else answer(prompt, rng, max_tokens)
        schema = structured_schema(body)
        if schema is not None and not results:  # structured output: JSON valid for the schema
            text = json.dumps(value_for(schema, "output", rng, keywords(prompt, 6)))
        seen = "" if schema is not None else attachments_note(last_user.get("content"))
        if seen and not results:
            text = f"{seen}\n\n{text}"
        if prefill:
            text = continue_prefill(prefill, text)
        stop_reason, stop_sequence = "end_turn", None
        for seq in body.get("stop_sequences") or []:
            at = text.find(seq) if seq else -1
            if at >= 0 and (stop_sequence is None or at < text.find(stop_sequence)):
                stop_sequence = seq
        if stop_sequence is not None:
            text = text[: text.find(stop_sequence)]
            stop_reason = "stop_sequence"
        if sources or server is not None:
            blocks += cited_answer(server.note if server else "", sources, text)
        else:
            blocks.append(PlannedBlock("text", text, tokens=pieces(text)))

    # max_tokens cuts across all blocks in order.
    budget = max_tokens
    kept: list[PlannedBlock] = []
    for block in blocks:
        if budget <= 0:
            stop_reason, stop_sequence = "max_tokens", None
            break
        if len(block.tokens) > budget:
            block.tokens = block.tokens[:budget]
            if block.kind in ("tool_use", "server_tool_use"):
                break  # a cut tool call is dropped; the text before it stays
            block.text = "".join(block.tokens)
            kept.append(block)
            stop_reason, stop_sequence = "max_tokens", None
            budget = 0
            break
        budget -= len(block.tokens)
        kept.append(block)
    if stop_reason == "tool_use" and not any(b.kind == "tool_use" for b in kept):
        stop_reason = "max_tokens"
    output_tokens = sum(len(b.tokens) for b in kept)
    wants_file = bool((body.get("container") or {}).get("skills") if isinstance(
        body.get("container"), dict) else False) or any(
        isinstance(t, dict) and str(t.get("type", "")).startswith("code_execution")
        for t in body.get("tools") or [])
    return Plan(kept, stop_reason, stop_sequence, count_request(body), max(output_tokens, 1),
                wants_file=wants_file and stop_reason != "tool_use",
                server_counts=server.counts if server is not None else None)


def in_order(prompt: str, words: list[str]) -> list[str]:
    """`words` in the order the prompt has them (a search query reads like the question)."""
    seen = [w.lower().strip("'-") for w in _WORD.findall(prompt)]
    return sorted(words, key=lambda w: seen.index(w) if w in seen else len(seen))


def _raw(block: dict[str, Any]) -> PlannedBlock:
    if block["type"] == "server_tool_use":
        return PlannedBlock("server_tool_use", tool_id=block["id"], name=block["name"],
                            input=block["input"], tokens=pieces(json.dumps(block["input"])))
    return PlannedBlock("raw", data=block)


def continued_blocks(last: dict[str, Any]) -> list[Any] | None:
    """The blocks of a paused turn sent back to continue it (the assistant's last message
    holds server tool blocks, or the pause note), else None."""
    content = last.get("content")
    if not isinstance(content, list):
        return None
    kinds = {b.get("type") for b in content if isinstance(b, dict)}
    if "server_tool_use" in kinds or any(
            isinstance(b, dict) and b.get("text") == "Let me work through this in steps."
            for b in content):
        return content
    return None


def cited_answer(note: str, sources: list[tuple[str, dict[str, Any]]],
                 closing: str) -> list[PlannedBlock]:
    """Text blocks that cite `sources` one claim each, as the API splits cited text."""
    def text(value: str, cites: list[dict[str, Any]] | None = None) -> PlannedBlock:
        return PlannedBlock("text", value, tokens=pieces(value), citations=cites or [])

    lead = f"{note}\n\n" if note else ""
    if not sources:
        return [text(lead + "Ask if you want to change anything and run it again." if note
                     else closing)]
    out = [text(lead + "From the sources:\n\n- ")]
    for i, (claim, citation) in enumerate(sources):
        out.append(text(claim, [citation]))
        out.append(text("\n- " if i + 1 < len(sources) else "\n\n"))
    out.append(text("Ask if you want more detail from these sources."))
    return out


def structured_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """`output_config.format`'s JSON schema, when the request asks for structured output (the
    eval graders and the test-case generator do): the reply is then a JSON value for it."""
    config = body.get("output_config")
    fmt = config.get("format") if isinstance(config, dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema" and \
            isinstance(fmt.get("schema"), dict):
        return fmt["schema"]
    return None


def choose_tool(body: dict[str, Any], prompt: str) -> dict[str, Any] | None:
    tools = [t for t in body.get("tools") or [] if isinstance(t, dict) and
             t.get("type") in (None, "custom") and "input_schema" in t]
    if not tools:
        return None
    choice = body.get("tool_choice") or {"type": "auto"}
    kind = choice.get("type")
    if kind == "none":
        return None
    if kind == "tool":
        return next((t for t in tools if t.get("name") == choice.get("name")), tools[0])
    if kind == "any":
        return tools[0]
    low = prompt.lower()
    for tool in tools:
        name = str(tool.get("name", ""))
        if name.lower() in low or name.lower().replace("_", " ") in low:
            return tool
        words = {w.lower() for w in _WORD.findall(str(tool.get("description", "")))} - _STOP
        name_words = {w for w in re.split(r"[_\W]+", name.lower()) if len(w) > 3} - _STOP
        if (words | name_words) & set(keywords(prompt, 20)):
            return tool
    return None


def value_for(schema: dict[str, Any], name: str, rng: random.Random, words: list[str]) -> Any:
    """A value valid for a JSON schema (the common subset tools use)."""
    if not isinstance(schema, dict):
        return None
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return value_for(schema[key][0], name, rng, words)
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        props = schema.get("properties") or {}
        return {k: value_for(v, k, rng, words) for k, v in props.items()}
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [value_for(schema.get("items") or {"type": "string"}, name, rng, words)
                for _ in range(count)]
    if kind == "integer":
        low = int(schema.get("minimum", 1))
        high = int(schema.get("maximum", max(low, 10)))
        return rng.randint(low, max(low, high))
    if kind == "number":
        low = float(schema.get("minimum", 0.0))
        high = float(schema.get("maximum", low + 100.0))
        return round(rng.uniform(low, high), 2)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    low = name.lower()
    if "location" in low or "city" in low or "place" in low:
        value = next((w.title() for w in words), "Paris") + ", France"
    elif "unit" in low:
        value = "celsius"
    elif "date" in low:
        value = "2026-11-25"
    elif "email" in low:
        value = "user@example.com"
    else:
        value = " ".join(words[:3]) or name
    min_len = int(schema.get("minLength", 0))
    if len(value) < min_len:
        value = value.ljust(min_len, "x")
    if "maxLength" in schema:
        value = value[: int(schema["maxLength"])]
    return value


def answer_tool_result(results: list[dict[str, Any]], rng: random.Random) -> str:
    content = results[-1].get("content")
    text = _text_of(content) if not isinstance(content, str) else content
    text = text.strip() or "no output"
    if results[-1].get("is_error"):
        return (f"The tool reported an error: {text[:200]}\n\nI can try again with different "
                "input, or answer without the tool.")
    opener = rng.choice(["Thanks, the tool returned", "The tool's result is", "Here is what came back:"])
    return (f"{opener} **{text[:300]}**.\n\nBased on that:\n\n- the result answers the question "
            "directly\n- nothing else needs to be looked up\n\nLet me know if you want more detail.")


def answer(prompt: str, rng: random.Random, max_tokens: int) -> str:
    words = keywords(prompt, 4)
    low = set(re.findall(r"[a-z]+", prompt.lower()))
    topic = " ".join(words[:2]) if words else "your question"
    opener = rng.choice([
        f"Here is a short answer about **{topic}**.",
        f"Good question about **{topic}**.",
        f"Let's look at **{topic}**.",
    ])
    points = [
        f"**{(words[i] if i < len(words) else w).capitalize()}**: {rng.choice(_FACTS)}"
        for i, w in enumerate(["context", "trade-offs", "next steps"])
    ]
    parts = [opener, "\n".join(f"- {p}" for p in points)]
    if low & _CODE_WORDS:
        parts.append(code_example(words, rng))
    parts.append(rng.choice(_CLOSINGS))
    text = "\n\n".join(parts)
    if low & _LONG_WORDS:
        section, count = 1, len(pieces(text))
        while count < LONG_REPLY_TOKENS:
            para = " ".join(rng.choice(_SENTENCES) for _ in range(6))
            more = f"\n\n## Part {section}: {rng.choice(words or ['notes']).capitalize()}\n\n{para}"
            more += "\n\n" + "\n".join(f"- {rng.choice(_FACTS)}" for _ in range(3))
            text, count = text + more, count + len(pieces(more))
            section += 1
    return text


def code_example(words: list[str], rng: random.Random) -> str:
    name = "_".join(w.replace("-", "_").replace("'", "") for w in words[:2]) or "solve"
    return (
        "```python\n"
        f"def {name}(value: str) -> str:\n"
        f'    """Return a cleaned-up version of `value`."""\n'
        "    cleaned = value.strip()\n"
        "    if not cleaned:\n"
        '        raise ValueError("empty input")\n'
        "    return cleaned\n\n\n"
        f'print({name}("  example  "))\n'
        "```"
    )


def continue_prefill(prefill: str, text: str) -> str:
    """Continue a prefilled assistant turn: the reply carries on after it."""
    body = text.split("\n\n", 1)[-1]
    joiner = "" if prefill.endswith((" ", "\n")) else " "
    return joiner + body


_FACTS = [
    "start from the simplest version that works and measure before optimising.",
    "the main trade-off is clarity against flexibility; prefer clarity first.",
    "write a small test that pins the behaviour down before changing it.",
    "keep inputs and outputs explicit so the next person can follow the flow.",
    "most problems here come from unclear assumptions, so state them up front.",
    "a short example usually explains more than a long description.",
]
_CLOSINGS = [
    "Want me to go deeper on any of these?",
    "I can expand any point with an example if that helps.",
    "Tell me more about your setup and I can tailor this.",
]
_SENTENCES = [
    "Early machines were built by hand and programmed with switches.",
    "Each generation made the previous one look slow and expensive.",
    "Software grew from a handful of routines into whole ecosystems.",
    "Networks changed what a computer was for, not just how fast it ran.",
    "Ideas that looked academic at first often became everyday tools.",
    "The cost of a mistake fell as tools for testing improved.",
    "People, more than hardware, set the pace of real progress.",
]
