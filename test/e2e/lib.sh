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
