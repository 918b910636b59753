# Sourced by scripts/run, scripts/install and scripts/package-deb (from the repository root).
#
# release_build: builds the release binary with the Swift runtime linked in statically (at run
#   time it needs only Debian's libnats and ncursesw) and sets `release_bin`. Release builds have
#   their own scratch path, $LATTICETOP_RELEASE_BUILD (default .build-release), so they neither
#   rebuild nor wait for the debug build the tests use (`swift test` holds .build while it runs).
# stage_release ROOT LAYOUT: puts the binary, its man page and its shell completions under ROOT,
#   where each tool looks: LAYOUT `prefix` (a PREFIX such as ~/.local or /usr/local) or `debian`
#   (ROOT is the package's /usr: zsh's vendor-completions, a gzipped man page).
release_scratch=${LATTICETOP_RELEASE_BUILD:-.build-release}
release_flags=(-c release --static-swift-stdlib --scratch-path "$release_scratch")

release_build() {
  swift build "${release_flags[@]}" --product latticetop --quiet >&2
  release_bin="$(swift build "${release_flags[@]}" --show-bin-path)/latticetop"
}

# The man page, generated from the command's own help by ArgumentParser's generate-manual tool
# (built once through its package plugin, then run on our binary).
write_man_page() {
  local out=$1 tool
  find_tool() { find "$release_scratch" -type f -perm -u+x \( -name generate-manual-tool -o -name generate-manual \) 2>/dev/null | head -n 1; }
  tool=$(find_tool)
  if [ -z "$tool" ]; then
    swift package --scratch-path "$release_scratch" plugin generate-manual --help >/dev/null
    tool=$(find_tool)
  fi
  [ -n "$tool" ] || { echo "release: ArgumentParser's generate-manual tool was not built" >&2; return 1; }
  local dir date
  dir=$(mktemp -d)
  # Dated by the commit, not the day it is built (the same sources give the same page).
  date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
  "$tool" "$release_bin" --output-directory "$dir" --section 1 --date "$date" \
    --authors "the latticetop developers" >/dev/null
  [ -s "$dir/latticetop.1" ] || { echo "release: generate-manual wrote no latticetop.1" >&2; rm -rf "$dir"; return 1; }
  mv "$dir/latticetop.1" "$out"
  rm -rf "$dir"
}

stage_release() {
  local root=$1 layout=$2 zsh_dir man
  case $layout in
    prefix) zsh_dir=$root/share/zsh/site-functions ;;
    debian) zsh_dir=$root/share/zsh/vendor-completions ;;
    *) echo "stage_release: unknown layout $layout" >&2; return 2 ;;
  esac
  install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" "$zsh_dir" \
    "$root/share/fish/vendor_completions.d"
  # Without its debugging symbols (97 MB → 66 MB); the build keeps them in $release_bin.
  install -m 755 "$release_bin" "$root/bin/latticetop"
  strip --strip-unneeded "$root/bin/latticetop"
  "$release_bin" --generate-completion-script bash >"$root/share/bash-completion/completions/latticetop"
  "$release_bin" --generate-completion-script zsh >"$zsh_dir/_latticetop"
  "$release_bin" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/latticetop.fish"
  man=$root/share/man/man1/latticetop.1
  write_man_page "$man"
  if [ "$layout" = debian ]; then gzip -9n "$man"; fi
  chmod 644 "$root"/share/bash-completion/completions/latticetop "$zsh_dir/_latticetop" \
    "$root/share/fish/vendor_completions.d/latticetop.fish" "$root"/share/man/man1/latticetop.1*
}
