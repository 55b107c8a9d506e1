"""Code for a request on a cloud platform: Python with the SDK's platform client, TypeScript with
the platform's SDK package, curl in the platform's wire (Bedrock signed with `--aws-sigv4`).

Like the direct API's export, no secret is ever written: AWS credentials come from the AWS
chain (or `AWS_BEARER_TOKEN_BEDROCK`), Google tokens from ADC or the profile's token command,
Foundry keys from `ANTHROPIC_FOUNDRY_API_KEY`.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

from workbench.api.platforms.bedrock import BODY_VERSION as BEDROCK_VERSION
from workbench.api.platforms.bedrock import default_base_url as bedrock_url
from workbench.api.platforms.foundry import default_base_url as foundry_url
from workbench.api.platforms.models import to_platform
from workbench.api.platforms.vertex import BODY_VERSION as VERTEX_VERSION
from workbench.api.platforms.vertex import default_base_url as vertex_url
from workbench.api.versions import CLASSIC

TS_PACKAGES = {"bedrock": ("AnthropicBedrock", "@anthropic-ai/bedrock-sdk"),
               "vertex": ("AnthropicVertex", "@anthropic-ai/vertex-sdk"),
               "foundry": ("AnthropicFoundry", "@anthropic-ai/foundry-sdk")}
GCLOUD_TOKEN = "gcloud auth print-access-token"
AZ_TOKEN = "az account get-access-token --resource https://ai.azure.com --query accessToken -o tsv"
CURL_COLON_NOTE = ("# note: curl signs the path as written, AWS signs ':' encoded (curl issue "
                   "#18423):\n# with ':' in the model id, prefer AWS_BEARER_TOKEN_BEDROCK "
                   "(a Bedrock API key) or the SDKs.\n")


@dataclass(frozen=True)
class Target:
    """Where and how the exported code talks: a cloud profile's settings, without secrets."""

    platform: str
    region: str = ""
    project: str = ""
    resource: str = ""
    base_url: str | None = None  # only when it is not the platform's own
    aws_profile: str = ""
    auth: str = ""
    token_command: str = ""
    model_prefix: str = ""

    def url(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.platform == "bedrock":
            return bedrock_url(self.region)
        if self.platform == "vertex":
            return vertex_url(self.region)
        return foundry_url(self.resource)


def target_for(profile: Any, base_url: str | None = None) -> Target:
    """A Target from a Profile (`base_url`: where the client really talks, if elsewhere)."""
    from workbench.services.platforms import _custom_url, auth_of

    return Target(profile.platform, profile.region, profile.project, profile.resource,
                  base_url or _custom_url(profile), profile.aws_profile, auth_of(profile),
                  profile.token_command, profile.model_prefix)


def target_for_settings(settings: Any, client_base_url: str | None = None) -> Target | None:
    """Where exported code should talk for these settings: the cloud profile's platform, the
    emulator's platform wire in `--demo --platform`, or None (the direct API)."""
    if settings.demo:
        if not settings.demo_platform or not client_base_url:
            return None
        from workbench.services.platforms import DEMO_VERTEX_TOKEN

        return {"bedrock": Target("bedrock", region="us-east-1", base_url=client_base_url,
                                  auth="aws", model_prefix="us."),
                "vertex": Target("vertex", region="us-east5", project="workbench-demo",
                                 base_url=client_base_url, auth="command",
                                 token_command=f"echo {DEMO_VERTEX_TOKEN}"),
                "foundry": Target("foundry", base_url=client_base_url, auth="api-key"),
                }.get(settings.demo_platform)
    if settings.profile.platform == "anthropic":
        return None
    return target_for(settings.profile)


def export(body: dict[str, Any], fmt: str, target: Target, *, stream: bool, api_version: str,
           betas: list[str]) -> str:
    model = to_platform(target.platform, str(body.get("model", "")), target.model_prefix)
    body = {**body, "model": model}
    return {"curl": curl, "python": python, "typescript": typescript}[fmt](
        body, target, stream=stream, api_version=api_version, betas=betas)


def body_version(platform: str, api_version: str) -> str:
    """The body's `anthropic_version`: the platform's name of the classic version, or the
    dated version itself (as our client sends it)."""
    if api_version != CLASSIC:
        return api_version
    return BEDROCK_VERSION if platform == "bedrock" else VERTEX_VERSION


# --- Python -----------------------------------------------------------------------------------
def python(body: dict[str, Any], target: Target, *, stream: bool, api_version: str,
           betas: list[str]) -> str:
    from workbench.services.export import python_call

    # the SDK would put its own version there
    extra = ({"anthropic_version": body_version(target.platform, api_version)}
             if target.platform in ("bedrock", "vertex") else None)
    head, client = ["import os", ""], []
    if target.platform == "bedrock":
        client = [f"    aws_region={target.region!r},"]
        if target.aws_profile and target.auth != "api-key":
            client.append(f"    aws_profile={target.aws_profile!r},")
        note = ("# the key is read from AWS_BEARER_TOKEN_BEDROCK" if target.auth == "api-key"
                else "# credentials: the AWS chain (environment, ~/.aws, AWS_PROFILE, SSO)")
    elif target.platform == "vertex":
        client = [f"    region={target.region!r},", f"    project_id={target.project!r},"]
        if target.auth == "command":
            head = ["import shlex", "import subprocess", ""]
            client.append("    access_token=subprocess.run(shlex.split("
                          f"{target.token_command!r}), capture_output=True, text=True, "
                          "check=True).stdout.strip(),")
            note = "# the token comes from the profile's token command"
        else:
            note = "# credentials: Application Default Credentials (pip install 'anthropic[vertex]')"
    else:
        if target.auth == "entra":
            head = ["from azure.identity import DefaultAzureCredential, "
                    "get_bearer_token_provider", ""]
            client = ["    azure_ad_token_provider=get_bearer_token_provider(",
                      '        DefaultAzureCredential(), "https://ai.azure.com/.default"),']
        else:
            client = ['    api_key=os.environ["ANTHROPIC_FOUNDRY_API_KEY"],']
        if not target.base_url:
            client.append(f"    resource={target.resource!r},")
        note = ""
    if target.base_url:
        client.append(f"    base_url={target.base_url!r},")
    if target.platform == "foundry":
        client.append(f'    default_headers={{"anthropic-version": "{api_version}"}},')
    name = TS_PACKAGES[target.platform][0]
    if head[0] == "import os" and "os.environ" not in "".join(client):
        head = []
    out = [*head, "import anthropic", "", *([note] if note else []),
           f"client = anthropic.{name}(", *client, ")", ""]
    return "\n".join([*out, *python_call(body, stream=stream, betas=betas, extra=extra)]) + "\n"


# --- TypeScript -------------------------------------------------------------------------------
def typescript(body: dict[str, Any], target: Target, *, stream: bool, api_version: str,
               betas: list[str]) -> str:
    from workbench.services.export import typescript_call

    name, package = TS_PACKAGES[target.platform]
    options, head = [], [f'import {{ {name} }} from "{package}";']
    if target.platform == "bedrock":
        options.append(f"awsRegion: {json.dumps(target.region)}")
    elif target.platform == "vertex":
        options += [f"region: {json.dumps(target.region)}",
                    f"projectId: {json.dumps(target.project)}"]
        if target.auth == "command":
            head.insert(0, 'import { execSync } from "node:child_process";')
            options.append(f"accessToken: execSync({json.dumps(target.token_command)})"
                           ".toString().trim()")
    else:
        options.append("apiKey: process.env.ANTHROPIC_FOUNDRY_API_KEY")
        if not target.base_url:
            options.append(f"resource: {json.dumps(target.resource)}")
    if target.base_url:
        options.append(f"baseURL: {json.dumps(target.base_url)}")
    call, typed = typescript_call(body, stream=stream, betas=betas)
    if typed:
        head.append('import type Anthropic from "@anthropic-ai/sdk";')
    out = [*head, "", f"const client = new {name}({{", *(f"  {o}," for o in options), "});", ""]
    return "\n".join([*out, *call]) + "\n"


# --- curl -------------------------------------------------------------------------------------
def curl(body: dict[str, Any], target: Target, *, stream: bool, api_version: str,
         betas: list[str]) -> str:
    payload = dict(body)
    model = str(payload.pop("model", ""))
    lines: list[str] = []
    note = ""
    if target.platform == "foundry":
        payload = {"model": model, **payload, **({"stream": True} if stream else {})}
        url = f"{target.url()}/v1/messages"
        auth = ('--header "x-api-key: $ANTHROPIC_FOUNDRY_API_KEY"' if target.auth != "entra"
                else "--header " + _bearer(target.token_command or AZ_TOKEN))
        lines = [auth, "--header " + shlex.quote(f"anthropic-version: {api_version}")]
        if betas:
            lines.append("--header " + shlex.quote(f"anthropic-beta: {','.join(betas)}"))
    elif target.platform == "vertex":
        payload = {"anthropic_version": body_version("vertex", api_version), **payload,
                   **({"stream": True} if stream else {})}
        action = "streamRawPredict" if stream else "rawPredict"
        url = (f"{target.url()}/projects/{target.project}/locations/{target.region}/"
               f"publishers/anthropic/models/{model}:{action}")
        lines = ["--header " + _bearer(target.token_command or GCLOUD_TOKEN)]
        if betas:
            lines.append("--header " + shlex.quote(f"anthropic-beta: {','.join(betas)}"))
    else:
        payload = {"anthropic_version": body_version("bedrock", api_version), **payload}
        if betas:
            payload["anthropic_beta"] = betas
        action = "invoke-with-response-stream" if stream else "invoke"
        url = f"{target.url()}/model/{model}/{action}"
        if target.auth == "api-key":
            lines = ['--header "Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK"']
        else:
            lines = ["--aws-sigv4 " + shlex.quote(f"aws:amz:{target.region}:bedrock"),
                     '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"']
            note = ("# temporary credentials: add --header \"x-amz-security-token: "
                    "$AWS_SESSION_TOKEN\"\n" + (CURL_COLON_NOTE if ":" in model else ""))
        if stream:  # AWS event-stream frames (binary), not text: kept in a file
            lines.append("--output reply.eventstream")
    lines.append('--header "content-type: application/json"')
    if stream and target.platform != "bedrock":
        lines.append("--no-buffer")
    lines.append("--data " + shlex.quote(json.dumps(payload, indent=2, ensure_ascii=False)))
    return note + " \\\n".join([f"curl {shlex.quote(url)}", *(f"     {x}" for x in lines)]) + "\n"


def _bearer(command: str) -> str:
    return f'"Authorization: Bearer $({command})"'
