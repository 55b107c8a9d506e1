"""`workbench keys set|list|delete|use`: profiles (name, base URL, API version) and their keys.

The key is read from stdin or a hidden prompt, never from the command line (it would land in
shell history), and only ever printed masked.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="manage profiles and their API keys (OS keyring)",
                       description="Profiles pair a name, a base URL and an API version; each "
                       "profile's key lives in the OS keyring, never in a file.")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    s = ks.add_parser("set", help="store a profile's key (read from stdin or a hidden prompt)")
    s.add_argument("name", nargs="?", default=None, help="profile name (default: the active one)")
    s.add_argument("--base-url", dest="profile_base_url", help="API base URL for this profile")
    s.add_argument("--api-version", choices=("2023-06-01", "2026-10-21"),
                   help="anthropic-version for this profile")
    s.add_argument("--no-check", action="store_true", help="do not check the key with the API")
    c = s.add_argument_group("cloud platforms", "a profile for Claude on Amazon Bedrock, Google "
                             "Vertex AI or Microsoft Foundry (secrets still go to the keyring)")
    c.add_argument("--platform", dest="profile_platform",
                   choices=("anthropic", "bedrock", "vertex", "foundry"))
    c.add_argument("--auth", choices=("aws", "api-key", "adc", "command", "entra"),
                   help="bedrock: aws (default) | api-key; vertex: adc (default) | command; "
                   "foundry: api-key (default) | entra")
    c.add_argument("--region", help="bedrock / vertex region (us-east-1, us-east5, global, ...)")
    c.add_argument("--project", help="vertex: Google Cloud project id")
    c.add_argument("--aws-profile", help="bedrock: named profile of ~/.aws/config")
    c.add_argument("--model-prefix", help="bedrock: cross-region prefix (us., eu., global.)")
    c.add_argument("--resource", help="foundry: resource name (<resource>.services.ai.azure.com)")
    c.add_argument("--token-command", help="vertex / foundry: a command printing a bearer token")
    ls = ks.add_parser("list", help="list profiles with masked keys")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    d = ks.add_parser("delete", help="delete a profile's key (and the profile)")
    d.add_argument("name")
    d.add_argument("--yes", action="store_true", help="do not ask to confirm")
    u = ks.add_parser("use", help="make a profile the active one")
    u.add_argument("name")


def _err(message: str) -> None:
    print(f"workbench keys: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from workbench import config
    from workbench.commands._shared import load_settings
    from workbench.services.keys import KeyringUnavailable, KeyStore, mask_key

    settings = load_settings(argparse.Namespace())
    store = KeyStore()
    action = args.keys_command
    try:
        if action == "list":
            return _list(settings, store, args.json, mask_key)
        if action == "use":
            if args.name not in settings.profiles:
                _err(f"no profile named {args.name!r} (see `workbench keys list`)")
                return 2
            settings.active_profile = args.name
            config.save(settings)
            print(f"active profile: {args.name}")
            return 0
        if action == "delete":
            if args.name not in settings.profiles:
                _err(f"no profile named {args.name!r}")
                return 2
            if not args.yes:
                if not sys.stdin.isatty():
                    _err("refusing to delete without --yes when not interactive")
                    return 2
                if input(f"Delete the key of profile {args.name!r}? [y/N] ").strip().lower() != "y":
                    print("kept")
                    return 0
            store.delete(args.name)
            if args.name != "default":
                settings.profiles.pop(args.name, None)
                if settings.active_profile == args.name:
                    settings.active_profile = "default"
            config.save(settings)
            print(f"deleted the key of {args.name}")
            return 0
        return _set(args, settings, store, mask_key)
    except KeyringUnavailable as exc:
        _err(str(exc))
        return 1


def _list(settings, store, as_json: bool, mask_key) -> int:
    import json

    from workbench.services.keys import KeyringUnavailable

    rows = []
    for name, profile in settings.profiles.items():
        try:
            key = store.get(name)
            state = mask_key(key) if key else "no key"
        except KeyringUnavailable:
            state = "keyring unavailable"
        rows.append({"name": name, "active": name == settings.active_profile,
                     "base_url": profile.base_url, "api_version": profile.api_version,
                     "key": state, "platform": profile.platform})
        if profile.platform != "anthropic":
            from workbench.config import DEFAULT_BASE_URL
            from workbench.services.platforms import auth_of, needs_secret

            if profile.base_url == DEFAULT_BASE_URL:  # derived from the platform's settings
                rows[-1]["base_url"] = profile.region or profile.resource
            if not needs_secret(profile):
                rows[-1]["key"] = auth_of(profile)
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        mark = "*" if row["active"] else " "
        where = row["base_url"] if row["platform"] == "anthropic" else \
            f"{row['platform']} {row['base_url']}".strip()
        print(f"{mark} {row['name']:<14} {row['key']:<18} {row['api_version']}  {where}")
    return 0


def _set(args, settings, store, mask_key) -> int:
    import asyncio
    import getpass

    from workbench import config
    from workbench.config import Profile
    from workbench.services.keys import check_key

    name = args.name or settings.active_profile
    profile = settings.profiles.get(name) or Profile(name)
    if args.profile_base_url:
        profile.base_url = args.profile_base_url
    if args.api_version:
        profile.api_version = args.api_version
    if _cloud_options(args, profile):
        return _set_cloud(args, settings, store, profile, mask_key)
    if sys.stdin.isatty():
        key = getpass.getpass(f"API key for profile {name!r} (input hidden): ")
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        _err("no key given")
        return 2
    if not args.no_check:
        print(f"checking the key with {profile.base_url} …", file=sys.stderr)
        problem = asyncio.run(check_key(profile.base_url, key, profile.api_version))
        if problem:
            _err(f"the key was not stored: {problem}")
            return 1
    store.set(name, key)
    settings.profiles[name] = profile
    config.save(settings)
    print(f"stored {mask_key(key)} for profile {name}")
    return 0


CLOUD_OPTIONS = ("platform", "auth", "region", "project", "aws_profile", "model_prefix",
                 "resource", "token_command")


def _cloud_options(args, profile) -> bool:
    """Apply the cloud options given; True when the profile is a cloud one."""
    for name in CLOUD_OPTIONS:
        value = getattr(args, "profile_platform" if name == "platform" else name, None)
        if value is not None:
            setattr(profile, name, value.strip())
    return profile.platform != "anthropic"


def _set_cloud(args, settings, store, profile, mask_key) -> int:
    """A cloud profile: its settings in the file, its secret (if its auth has one) in the
    keyring; checked by resolving its credentials (nothing is sent: no free call exists)."""
    import asyncio
    import getpass

    from workbench import config
    from workbench.services import platforms

    missing = platforms.problems(profile)
    if missing:
        _err("; ".join(missing))
        return 2
    secret = None
    if platforms.needs_secret(profile):
        what = "Bedrock API key" if profile.platform == "bedrock" else "Foundry API key"
        if sys.stdin.isatty():
            secret = getpass.getpass(f"{what} for profile {profile.name!r} (input hidden): ")
        else:
            secret = sys.stdin.readline()
        secret = secret.strip()
        if not secret:
            _err(f"no {what} given")
            return 2
    if not args.no_check:
        print(f"checking the {profile.platform} credentials …", file=sys.stderr)
        problem = asyncio.run(platforms.check(profile, secret))
        if problem:
            _err(f"the profile was not saved: {problem}")
            return 1
    if secret:
        store.set(profile.name, secret)
    settings.profiles[profile.name] = profile
    config.save(settings)
    stored = f"; stored {mask_key(secret)}" if secret else ""
    print(f"saved {profile.platform} profile {profile.name} ({platforms.auth_of(profile)}){stored}")
    return 0
