# Shared by the end-to-end suites: start the local cloud on a scratch state folder, count checks, stop it all.
set -uo pipefail

E2E_PORT="${E2E_PORT:-$((18000 + RANDOM % 4000))}"
E2E_DIR="$(mktemp -d)"
export FE_DATA_DIR="$E2E_DIR/state"
export PORT="$E2E_PORT"
export OS_CLIENT_CONFIG_FILE="$FE_DATA_DIR/clouds.yaml"
PASSED=0
FAILED=0
CLOUD_PID=""

kill_cloud() {
  if [ -n "$CLOUD_PID" ]; then
    kill -TERM -- "-$CLOUD_PID" 2>/dev/null || kill -TERM "$CLOUD_PID" 2>/dev/null
    wait "$CLOUD_PID" 2>/dev/null
    CLOUD_PID=""
  fi
}
stop_cloud() {
  kill_cloud
  rm -rf "$E2E_DIR"
}
trap stop_cloud EXIT

# restart_cloud: stop and start again on the same state folder.
restart_cloud() {
  kill_cloud
  : >"$E2E_DIR/cloud.log"
  start_cloud >/dev/null
}

start_cloud() {
  set -m
  npm start >"$E2E_DIR/cloud.log" 2>&1 &
  CLOUD_PID=$!
  set +m
  for _ in $(seq 1 60); do
    if grep -q 'local cloud ready' "$E2E_DIR/cloud.log" 2>/dev/null; then
      sed -n '/local cloud ready/,$p' "$E2E_DIR/cloud.log" | grep -v ' SK \| password ' || true
      return 0
    fi
    sleep 0.5
  done
  echo "the local cloud did not start:"; cat "$E2E_DIR/cloud.log"; return 1
}

# check NAME COMMAND...: runs the command, records pass or fail, keeps its output in $OUT.
check() {
  local name="$1"; shift
  if OUT="$("$@" 2>&1)"; then
    PASSED=$((PASSED + 1)); echo "ok   $name"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $name"; echo "$OUT" | sed 's/^/     /' | tail -20
  fi
}

# expect NAME PATTERN: the last command's output must match the pattern.
expect() {
  local name="$1" pattern="$2"
  if echo "$OUT" | grep -Eq -- "$pattern"; then
    PASSED=$((PASSED + 1)); echo "ok   $name"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $name: output does not match /$pattern/"; echo "$OUT" | sed 's/^/     /' | tail -20
  fi
}

finish() {
  echo "e2e: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

# ready_url LABEL: the URL the ready banner printed after LABEL (e.g. 'OBS (S3 endpoint)').
ready_url() {
  grep -F "  $1 " "$E2E_DIR/cloud.log" | grep -Eo 'https?://[^ ]+' | head -1
}

# refuse NAME COMMAND...: the command must fail; its output is kept in $OUT for `expect`.
refuse() {
  local name="$1"; shift
  if OUT="$("$@" 2>&1)"; then
    FAILED=$((FAILED + 1)); echo "FAIL $name: the command succeeded"; echo "$OUT" | sed 's/^/     /' | tail -20
  else
    PASSED=$((PASSED + 1)); echo "ok   $name"
  fi
}

# cloud_rss_kib: resident memory in KiB of the cloud's processes (npm start's process group), printed as
# "total workerd node".
cloud_rss_kib() {
  local total=0 workerd=0 node=0 pid comm rss
  for pid in $(pgrep -g "$CLOUD_PID" 2>/dev/null); do
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" || continue
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)"
    total=$((total + ${rss:-0}))
    case "$comm" in workerd) workerd=$((workerd + ${rss:-0})) ;; node) node=$((node + ${rss:-0})) ;; esac
  done
  echo "$total $workerd $node"
}
