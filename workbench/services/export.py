"""Code for a request: curl, Python (official SDK) and TypeScript (official SDK).

The snippets read the key from ANTHROPIC_API_KEY and never contain it; the base URL appears
only when it is not the default (the SDKs also read ANTHROPIC_BASE_URL themselves).
"""

from __future__ import annotations

import json
import shlex
from typing import Any

DEFAULT_BASE_URL = "https://api.anthropic.com"
# Keyword arguments the official Python SDK (2.13) names; anything else goes in extra_body.
SDK_PARAMS = {"max_tokens", "messages", "model", "cache_control", "container", "metadata",
              "service_tier", "stop_sequences", "system", "thinking", "tool_choice", "tools",
              "output_config", "speed", "inference_geo"}


def _py(value: Any, indent: int) -> str:
    """A Python literal for a JSON value, indented to sit inside a call.

    Built from the value (not by rewriting JSON text), so `true` inside a string stays text and
    booleans inside lists become True/False.
    """
    import pprint

    text = pprint.pformat(value, indent=1, width=88 - indent, sort_dicts=False)
    return text.replace("\n", "\n" + " " * indent)


def curl(body: dict[str, Any], *, stream: bool, base_url: str | None, api_version: str,
         betas: list[str]) -> str:
    payload = dict(body, stream=True) if stream else dict(body)
    lines = [f"curl {shlex.quote((base_url or DEFAULT_BASE_URL).rstrip('/') + '/v1/messages')}",
             '     --header "x-api-key: $ANTHROPIC_API_KEY"',
             "     --header " + shlex.quote(f"anthropic-version: {api_version}"),
             '     --header "content-type: application/json"']
    if betas:
        lines.append("     --header " + shlex.quote(f"anthropic-beta: {','.join(betas)}"))
    if stream:
        lines.append("     --no-buffer")
    lines.append("     --data " + shlex.quote(json.dumps(payload, indent=2, ensure_ascii=False)))
    return " \\\n".join(lines) + "\n"


def python_call(body: dict[str, Any], *, stream: bool, betas: list[str],
                extra: dict[str, Any] | None = None) -> list[str]:
    """The lines that send `body` with a `client` and print the reply: the SDK's keyword
    arguments, the rest (and `extra`) in extra_body. Shared by the direct API's and the
    platforms' Python export."""
    args = "".join(f"    {k}={_py(v, 4)},\n" for k, v in body.items() if k in SDK_PARAMS)
    extra = {**{k: v for k, v in body.items() if k not in SDK_PARAMS and k != "stream"},
             **(extra or {})}
    if extra:
        args += f"    extra_body={_py(extra, 4)},\n"
    if betas:
        args += f"    betas={betas!r},\n"
    call = "client.beta.messages" if betas else "client.messages"
    if stream:
        return [f"with {call}.stream(", args.rstrip("\n"), ") as stream:",
                "    for text in stream.text_stream:", '        print(text, end="", flush=True)',
                "print()"]
    return [f"message = {call}.create(", args.rstrip("\n"), ")",
            "print(message.content[0].text if message.content else message)"]


def python(body: dict[str, Any], *, stream: bool, base_url: str | None, api_version: str,
           betas: list[str]) -> str:
    client_args = ["api_key=os.environ[\"ANTHROPIC_API_KEY\"]"]
    if base_url:
        client_args.append(f"base_url={base_url!r}")
    client_args.append(f'default_headers={{"anthropic-version": "{api_version}"}}')
    out = ["import os", "", "import anthropic", "",
           "client = anthropic.Anthropic(", *(f"    {a}," for a in client_args), ")", ""]
    return "\n".join([*out, *python_call(body, stream=stream, betas=betas)]) + "\n"


def typescript_call(body: dict[str, Any], *, stream: bool,
                    betas: list[str]) -> tuple[list[str], bool]:
    """The lines that send `body` with a `client` and print the reply, and whether they name
    the `Anthropic` type (fields the SDK's types do not list, e.g. temperature, are sent as
    given; the assertion tells the compiler they are meant). Shared with the platforms."""
    params = dict(body)
    if betas:
        params["betas"] = betas
    call = "client.beta.messages" if betas else "client.messages"
    text = json.dumps(params, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    typed = bool(set(body) - SDK_PARAMS - {"stream"})
    if typed:
        kind = "MessageStreamParams" if stream else "MessageCreateParamsNonStreaming"
        if betas:
            kind = "Beta.Messages." + ("MessageCreateParams" if stream else kind)
        text += f" as Anthropic.{kind}"
    if stream:
        return [f"const stream = {call}.stream({text});",
                'stream.on("text", (text) => process.stdout.write(text));',
                "await stream.finalMessage();"], typed
    return [f"const message = await {call}.create({text});", "console.log(message.content);"], typed


def typescript(body: dict[str, Any], *, stream: bool, base_url: str | None, api_version: str,
               betas: list[str]) -> str:
    options = ["apiKey: process.env.ANTHROPIC_API_KEY"]
    if base_url:
        options.append(f"baseURL: {json.dumps(base_url)}")
    options.append(f'defaultHeaders: {{ "anthropic-version": "{api_version}" }}')
    out = ['import Anthropic from "@anthropic-ai/sdk";', "",
           "const client = new Anthropic({", *(f"  {o}," for o in options), "});", ""]
    return "\n".join([*out, *typescript_call(body, stream=stream, betas=betas)[0]]) + "\n"


GENERATORS = {"curl": curl, "python": python, "typescript": typescript}
FORMATS = tuple(GENERATORS)


def export_code(body: dict[str, Any], fmt: str, *, stream: bool = False,
                base_url: str | None = None, api_version: str = "2023-06-01",
                betas: list[str] | None = None, platform: Any = None) -> str:
    """Code in `fmt` for `body`; `base_url` is left out when it is the default. `platform`
    (an `export_platforms.Target`) writes it for that cloud platform's client instead."""
    if fmt not in GENERATORS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if platform is not None and platform.platform != "anthropic":
        from workbench.services import export_platforms

        body = {k: v for k, v in body.items() if k != "stream"}
        return export_platforms.export(body, fmt, platform, stream=stream,
                                       api_version=api_version, betas=list(betas or []))
    if base_url and base_url.rstrip("/") == DEFAULT_BASE_URL:
        base_url = None
    body = {k: v for k, v in body.items() if k != "stream"}
    return GENERATORS[fmt](body, stream=stream, base_url=base_url, api_version=api_version,
                           betas=list(betas or []))
