#!/usr/bin/env bash
# Builds learnlog in release mode and installs the binary, its man page and shell completions.
#
#   scripts/install.sh [PREFIX]          (default PREFIX: /usr/local; or `make install PREFIX=…`)
#
# Installs:
#   PREFIX/bin/learnlog
#   PREFIX/share/man/man1/learnlog.1                     (from the command tree)
#   PREFIX/share/bash-completion/completions/learnlog
#   PREFIX/share/zsh/site-functions/_learnlog
#   PREFIX/share/fish/vendor_completions.d/learnlog.fish
#
# CONFIGURATION=debug installs a debug build instead (quicker to build, slower to run).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:-${PREFIX:-/usr/local}}"
config="${CONFIGURATION:-release}"
case "$config" in release | debug) ;; *)
  echo "error: CONFIGURATION must be release or debug, not '$config'" >&2
  exit 2
  ;;
esac

echo "install: building learnlog ($config)"
swift build -c "$config" --product learnlog
bin="$(swift build -c "$config" --show-bin-path)/learnlog"

# The man page, generated from the command tree by swift-argument-parser's plugin.
echo "install: generating the man page"
swift package --allow-writing-to-package-directory generate-manual \
  --configuration "$config" --section 1 >/dev/null
page=".build/plugins/GenerateManual/outputs/learnlog/learnlog.1"
if [ ! -s "$page" ]; then
  echo "error: the man page was not generated at $page" >&2
  exit 1
fi

# A blank line of a command's discussion is a paragraph break in mdoc (as a blank line, man
# warns "Empty input line").
sed -i 's/^$/.Pp/' "$page"

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$bin" "$prefix/bin/learnlog"
install -m 0644 "$page" "$prefix/share/man/man1/learnlog.1"
"$bin" --generate-completion-script bash >"$prefix/share/bash-completion/completions/learnlog"
"$bin" --generate-completion-script zsh >"$prefix/share/zsh/site-functions/_learnlog"
"$bin" --generate-completion-script fish >"$prefix/share/fish/vendor_completions.d/learnlog.fish"
echo "install: installed learnlog $("$prefix/bin/learnlog" --version) into $prefix"
