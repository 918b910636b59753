#!/bin/sh
# Writes OUTPUT_DIR/GeneratedBuildInfo.swift with the git commit REPO is at (12 hex digits, and
# "+changes" when tracked files differ from it), or "unknown" without git or outside a checkout.
# Run by the BuildInfo build plugin before every build; rewrites the file only when it changes.
# Usage: build-info.sh REPO OUTPUT_DIR
set -eu
repo=$1 out=$2
commit=unknown
if command -v git >/dev/null 2>&1 && sha=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null); then
  commit=$sha
  git -C "$repo" diff --quiet HEAD -- 2>/dev/null || commit="$sha+changes"
fi
mkdir -p "$out"
file=$out/GeneratedBuildInfo.swift
next=$(printf '%s\n%s\n%s\n' \
  '// Generated before each build by scripts/build-info.sh (BuildInfo plugin). Do not edit.' \
  'enum GeneratedBuildInfo {' \
  "    static let commit = \"$commit\"")
next="$next
}"
if [ ! -f "$file" ] || [ "$(cat "$file")" != "$next" ]; then
  printf '%s\n' "$next" >"$file"
fi
