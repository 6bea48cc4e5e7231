#!/usr/bin/env bash
# Builds the libFuzzer targets of scripts/fuzz/targets and runs each for a bounded time.
#
# Usage: scripts/fuzz/run.sh [--target NAME]... [--all] [--seconds N] [--build-only] [--list]
#
#   --target NAME  a target (file name in scripts/fuzz/targets without .swift); repeatable
#   --all          every target (the default when no --target is given)
#   --seconds N    fuzzing time per target (default 10)
#   --build-only   build, do not run
#   --list         print the target names
#
# Each target is built with `swiftc -sanitize=fuzzer,address` into .build-fuzz/ and run with
# its seed corpus Fuzz/corpus/<target>/ and the saved findings Fuzz/regressions/<target>/ (read
# only; new inputs go to .build-fuzz/corpus/; `swift test` replays both) and
# `-max_total_time=N -rss_limit_mb=2048 -timeout=5`. A crash, hang, leak or out-of-memory is
# saved in .build-fuzz/findings/<target>/ and fails the run.
#
# Exit status: 0 no findings; 1 a finding; 2 usage; 77 this toolchain cannot build
# libFuzzer targets (callers such as .ci/run may treat 77 as "skipped").
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

targets=()
seconds=10
build_only=0
all_targets=(record-reader json-parser import-json import-csv key-decoder screen-text snapshot-decoder)

while [ $# -gt 0 ]; do
  case "$1" in
    --target) targets+=("${2:?--target needs a name}"); shift 2 ;;
    --all) targets=("${all_targets[@]}"); shift ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
case "$seconds" in ''|*[!0-9]*) echo "fuzz: --seconds takes a whole number" >&2; exit 2 ;; esac
for t in "${targets[@]}"; do
  [ -f "scripts/fuzz/targets/$t.swift" ] || {
    echo "fuzz: no target '$t'; choose from: ${all_targets[*]}" >&2
    exit 2
  }
done

out="$root/.build-fuzz"
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

# Can this toolchain build a libFuzzer binary at all?
probe="$out/probe"
if [ ! -x "$probe" ]; then
  cat >"$out/probe.swift" <<'EOF'
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
EOF
  if ! swiftc "${flags[@]}" "$out/probe.swift" -o "$probe" >"$out/probe.log" 2>&1; then
    echo "fuzz: this toolchain cannot build libFuzzer targets (see $out/probe.log); skipped"
    exit 77
  fi
fi

# Builds a library module (instrumented) once per change of its sources.
# $1 module name, $2 source directory, $3 output directory, $4... extra flags.
build_module() {
  local name=$1 dir=$2 mout=$3
  shift 3
  mkdir -p "$mout"
  local stamp
  stamp=$(find "$dir" -name '*.swift' -type f -print0 | sort -z | xargs -0 cat | cksum | cut -d' ' -f1)
  if [ -f "$mout/$name.o" ] && [ "$(cat "$mout/$name.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  # LearningLog and TerminalUI count their work through WorkCounting: build it first, beside them.
  if [ "$name" != WorkCounting ]; then
    build_module WorkCounting Sources/WorkCounting "$mout" || return 1
    set -- -I "$mout" "$@"
  fi
  # LearningLog checks CRC-32C through the C target CCRC32C: its object and a module map beside.
  if [ "$name" = LearningLog ]; then
    build_c_module CCRC32C Sources/CCRC32C "$mout" || return 1
    set -- -I "$mout/CCRC32C" "$@"
  fi
  echo "fuzz: building module $name${*:+ ($*)}"
  local files=()
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -name '*.swift' -type f -print0 | sort -z)
  if ! swiftc "${flags[@]}" -wmo -c -emit-module -module-name "$name" "$@" "${files[@]}" \
    -emit-module-path "$mout/$name.swiftmodule" -o "$mout/$name.o" >"$mout/$name.build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$mout/$name.build.log" >&2
    echo "fuzz: building $name failed" >&2
    return 1
  fi
  echo "$stamp" >"$mout/$name.stamp"
}

# Builds a C target of the package into $3/$1.o, with a module map in $3/$1 so Swift can import
# it. $1 module name, $2 source directory (its headers in include/), $3 output directory.
build_c_module() {
  local name=$1 dir=$2 mout=$3
  mkdir -p "$mout/$name"
  local header
  header=$(cd "$dir/include" && pwd)/$name.h
  printf 'module %s {\n  header "%s"\n  export *\n}\n' "$name" "$header" >"$mout/$name/module.modulemap"
  if ! clang -O2 -fPIC -c -I "$dir/include" "$dir"/*.c -o "$mout/$name.o" >"$mout/$name.build.log" 2>&1; then
    cat "$mout/$name.build.log" >&2
    echo "fuzz: building $name failed" >&2
    return 1
  fi
}

# Builds one target binary. $1 target name.
build_target() {
  local t=$1 entry="scripts/fuzz/targets/$1.swift"
  local bin="$out/fuzz-$t"
  local extra=()
  case "$t" in
    key-decoder)
      build_module TerminalUI Sources/TerminalUI "$out" || return 1
      extra=(-I "$out" -I Modules/CNcursesw -lncursesw "$out/TerminalUI.o" "$out/WorkCounting.o"
        Sources/CursesBackend/KeyDecoder.swift Sources/CursesBackend/RawInput.swift)
      ;;
    snapshot-decoder)
      # Internal API: a module of its own built with -enable-testing.
      build_module LearningLog Sources/LearningLog "$out/testable" -enable-testing || return 1
      extra=(-I "$out/testable" -I "$out/testable/CCRC32C" "$out/testable/LearningLog.o"
        "$out/testable/WorkCounting.o" "$out/testable/CCRC32C.o")
      ;;
    screen-text)
      build_module TerminalUI Sources/TerminalUI "$out" || return 1
      extra=(-I "$out" "$out/TerminalUI.o" "$out/WorkCounting.o")
      ;;
    record-reader)
      # The fault-injecting file system of the tests, compiled into the target.
      build_module LearningLog Sources/LearningLog "$out" || return 1
      extra=(-I "$out" -I "$out/CCRC32C" "$out/LearningLog.o" "$out/WorkCounting.o"
        "$out/CCRC32C.o" Sources/LearningLogTesting/MemoryFileSystem.swift)
      ;;
    *)
      build_module LearningLog Sources/LearningLog "$out" || return 1
      extra=(-I "$out" -I "$out/CCRC32C" "$out/LearningLog.o" "$out/WorkCounting.o" "$out/CCRC32C.o")
      ;;
  esac
  local src="$out/$t.entry.swift"
  case "$t" in
    key-decoder | screen-text | snapshot-decoder) cp "$entry" "$src" ;;
    *) { echo "import LearningLog"; cat "$entry"; } >"$src" ;;
  esac
  local stamp
  stamp=$(cat "$src" Sources/CursesBackend/KeyDecoder.swift Sources/CursesBackend/RawInput.swift \
    "$out/LearningLog.stamp" "$out/TerminalUI.stamp" "$out/testable/LearningLog.stamp" 2>/dev/null \
    | cksum | cut -d' ' -f1)
  if [ -x "$bin" ] && [ "$(cat "$bin.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  echo "fuzz: building $t"
  if ! swiftc "${flags[@]}" -module-name "Fuzz_${t//-/_}" "${extra[@]}" "$src" -o "$bin" \
    >"$out/$t.build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$out/$t.build.log" >&2
    echo "fuzz: building $t failed" >&2
    return 1
  fi
  echo "$stamp" >"$bin.stamp"
}

status=0
summary=()
for t in "${targets[@]}"; do
  if ! build_target "$t"; then
    status=1
    summary+=("$t: BUILD FAILED")
    continue
  fi
  [ $build_only -eq 1 ] && continue
  work="$out/corpus/$t"
  findings="$out/findings/$t"
  seeds="Fuzz/corpus/$t"
  mkdir -p "$work" "$findings" "$seeds"
  regressions=()
  [ -d "Fuzz/regressions/$t" ] && regressions=("Fuzz/regressions/$t")
  dict=()
  [ -f "Fuzz/dict/$t.dict" ] && dict=(-dict="Fuzz/dict/$t.dict")
  log="$out/$t.log"
  echo "fuzz: running $t for ${seconds}s (seeds: $(find "$seeds" -type f | wc -l))"
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$out/fuzz-$t" "$work" "$seeds" "${regressions[@]}" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
  rc=$?
  execs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1)
  [ -z "$execs" ] && execs=$(grep -Eo '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  if [ $rc -ne 0 ]; then
    status=1
    artifact=$(grep -Eo "Test unit written to [^ ]+" "$log" | tail -1 | awk '{print $5}')
    summary+=("$t: FINDING (exit $rc) after ${execs:-?} executions: ${artifact:-see $log}; copy it to Fuzz/regressions/$t/ once fixed")
    grep -E 'ERROR: |invariant broken|Fatal error|SUMMARY' "$log" | head -5 >&2
  else
    summary+=("$t: ${execs:-?} executions in ${seconds}s, coverage ${cov:-?}, 0 crashes, 0 hangs, 0 out-of-memory")
  fi
done

[ $build_only -eq 1 ] && { [ $status -eq 0 ] && echo "fuzz: built ${targets[*]}"; exit $status; }
echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit $status
