#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (scripts/fuzz.sh) from Tests/Fixtures.

usage: fuzz_seeds.py FIXTURES_DIR REPO_DIR OUT_DIR
Each target gets OUT_DIR/<target>/seed-NNN files: one message per file, as the decoder sees it.
"""
import base64
import glob
import json
import os
import sys

fixtures, repo, out = sys.argv[1], sys.argv[2], sys.argv[3]
seeds = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    seeds.setdefault(target, []).append(data)


def load(path):
    with open(os.path.join(fixtures, path)) as f:
        return json.load(f)


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


def entries(document):
    """The fixture values of a {"_note": …, name: value} file (or the items of a list)."""
    if isinstance(document, list):
        return document
    return [v for k, v in document.items() if not k.startswith("_")]


# Control replies, wadm replies and control requests. FuzzCtlReplies reads a selector byte first
# (Fuzz/FuzzCtlReplies/main.swift): 0-7 the reply to host.ping, host.get, link.get, config.get,
# claims.get, component.auction, provider.auction, any acknowledgement; 8-14 the wadm replies;
# 15-33 the request body of each operation in CtlOperation's order.
reply_selectors = ["host.ping", "host.get", "link.get", "config.get", "claims.get", "component.auction", "provider.auction"]
operations = ["host.ping", "host.get", "host.stop", "component.scale", "component.update", "component.auction",
              "provider.start", "provider.stop", "provider.auction", "link.get", "link.put", "link.del", "config.get",
              "config.put", "config.del", "label.put", "label.del", "claims.get", "registry.put"]
for key, reply in load("v1-constructed/ctl-replies.json").items():
    if key.startswith("_"):
        continue
    selector = next((i for i, name in enumerate(reply_selectors) if key.startswith(name)), 7)
    for r in reply if isinstance(reply, list) else [reply]:
        add("FuzzCtlReplies", bytes([selector]) + dumps(r).encode())
for key, value in load("v1-constructed/wadm-api.json").items():
    if not key.startswith("_"):
        for selector in range(8, 15):
            add("FuzzCtlReplies", bytes([selector]) + dumps(value).encode())
for key, value in load("v1-constructed/ctl-requests.json").items():
    if key.startswith("_"):
        continue
    selector = next((15 + i for i, name in enumerate(operations) if key.startswith(name)), 15)
    add("FuzzCtlReplies", bytes([selector]) + (b"" if value is None else dumps(value).encode()))

# v2 control traffic for FuzzV2Heartbeat (selector byte: 0 workload reply, 1 workload status,
# 2 workload requests, 3-7 a host heartbeat).
for path in sorted(glob.glob(os.path.join(fixtures, "v2-captured/control/*.json"))):
    data = open(path, "rb").read()
    if path.endswith(".reply.json"):
        add("FuzzV2Heartbeat", b"\x00" + data)
        add("FuzzV2Heartbeat", b"\x01" + data)
        add("FuzzV2Heartbeat", b"\x03" + data)
    else:
        add("FuzzV2Heartbeat", b"\x02" + data)

# Lattice events: every v1.9 event, the 17 real wadm-era events, the wadm event, and one file
# with all of them (one per line) so that sequences reach the reducer.
events = entries(load("v1-constructed/events-v1.9.json")) + entries(load("upstream/wadm/tests_fixtures_manifests_events.json"))
for value in entries(load("v1-constructed/wadm-api.json")):
    if isinstance(value, dict) and "specversion" in value:
        events.append(value)
for event in events:
    add("FuzzLatticeEvents", dumps(event))
add("FuzzLatticeEvents", "\n".join(dumps(e) for e in events[:20]))

# v2 heartbeats (published and replies) and the heartbeats in the captured session.
for path in sorted(glob.glob(os.path.join(fixtures, "v2-captured/heartbeat/*.json"))):
    add("FuzzV2Heartbeat", b"\x03" + open(path, "rb").read())

# wRPC traffic: a selector byte (spy configuration), then "<subject>[ <reply>]\n<header>: <value>\n\n<payload>",
# messages separated by 0x1E.
def wire(message):
    first = message.get("subject", "") + (" " + message["reply"] if message.get("reply") else "")
    headers = "".join(f"\n{k}: {v}" for k, v in (message.get("headers") or {}).items())
    try:
        payload = base64.b64decode(message.get("payload_base64") or "", validate=False)
    except ValueError:
        payload = b""
    return (first + headers + "\n\n").encode() + payload


wrpc = [v for v in entries(load("v1-constructed/wrpc-invocation.json")) if isinstance(v, dict) and "subject" in v]
for selector in (b"\x00", b"\x01"):
    for message in wrpc:
        add("FuzzWRPCMessages", selector + wire(message))
    add("FuzzWRPCMessages", selector + b"\x1e".join(wire(m) for m in wrpc))
with open(os.path.join(fixtures, "v2-captured/session.spy.jsonl")) as f:
    for i, line in enumerate(f):
        if i >= 40:
            break
        record = json.loads(line)
        text = (record.get("text") or "").encode()
        add("FuzzWRPCMessages", bytes([i % 2]) + (record["subject"] + "\n\n").encode() + text)
        if record["subject"].startswith("runtime.operator.heartbeat."):
            add("FuzzV2Heartbeat", b"\x03" + text)

# Saved spy sessions (SpyRecord NDJSON).
record = {
    "event": "message", "seq": 1, "call": 1, "time": "2026-11-24T18:14:52.048824Z", "kind": "invocation",
    "subject": "default.rust_hello_world-http_component.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle",
    "reply": "_INBOX.9fK2pQm7Xc1Lr8sT0aZbWd.Yv3nH6jE", "lattice": "default",
    "target": "rust_hello_world-http_component", "instance": "wasi:http/incoming-handler@0.2.0", "function": "handle",
    "source": "rust_hello_world-httpserver", "target_id": "rust_hello_world-http_component", "link_name": "default",
    "size": 6, "preview": "00 03 47 45 54 01", "preview_kind": "hex", "preview_bytes": 6, "truncated": False,
    "attribution": "direct", "outcome": "ok", "status": 200, "handshake_ms": 0.4, "results_ms": 1.2,
    "headers": {"source-id": ["rust_hello_world-httpserver"]}, "payload_base64": "AANHRVQB",
}
add("FuzzSpyRecords", dumps(record))
add("FuzzSpyRecords", dumps(record) + "\n" + dumps(dict(record, seq=2, kind="results", outcome="pending", truncated=True,
                                                      payload_base64=None, payload_prefix_base64="AAM=")))

# Themes: the shipped themes and the YAML fixtures.
for path in sorted(glob.glob(os.path.join(repo, "Themes/*.yaml")) + glob.glob(os.path.join(fixtures, "upstream/*/*.yaml"))):
    add("FuzzThemes", open(path, "rb").read())

# wash contexts: the shapes wash writes, plus every JSON fixture as a wrong-shaped context.
contexts = [
    {"name": "default", "cluster_seed": None, "ctl_host": "127.0.0.1", "ctl_port": 4222, "ctl_jwt": None,
     "ctl_seed": None, "ctl_credsfile": None, "ctl_tls_ca_file": None, "ctl_timeout": 2000, "lattice": "default",
     "js_domain": None, "rpc_host": "127.0.0.1", "rpc_port": 4222, "ctl_topic_prefix": "wasmbus.ctl"},
    {"name": "old", "ctl_host": "old-host", "ctl_port": "4111", "lattice_prefix": "legacy"},
    {"name": "tls", "ctl_host": "tls://nats.example.com", "ctl_port": 4443, "ctl_tls_ca_file": "/etc/ca.pem",
     "ctl_credsfile": "/home/me/.nkeys/creds", "ctl_timeout": "5000"},
]
for context in contexts:
    add("FuzzWashContexts", json.dumps(context, indent=2))
for value in entries(load("v1-constructed/ctl-requests.json"))[:8]:
    add("FuzzWashContexts", dumps(value))

for target, items in seeds.items():
    directory = os.path.join(out, target)
    os.makedirs(directory, exist_ok=True)
    for i, data in enumerate(items):
        with open(os.path.join(directory, f"seed-{i:03d}"), "wb") as f:
            f.write(data)
    print(f"{target}: {len(items)} seeds", file=sys.stderr)
