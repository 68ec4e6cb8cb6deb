#!/usr/bin/env bash
# The unmodified `openstack stack` commands (Debian's python3-heatclient) against `npm start`: a stack with a
# network, a subnet behind a router, a security group, a server on a port, a volume attached to it and a floating
# IP, created with --wait, shown with its outputs, resources and events, and deleted with --wait, leaving the
# project as it was (every kind of resource counted before and after); a template with an error is refused by
# `orchestration template validate` with the path to the bad property.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"
DIR=test/e2e/rts

# inventory: every resource of the project, kind by kind, one id a line (what a stack must leave as it found).
inventory() {
  for kind in "server list" "network list" "subnet list" "router list" "port list" "security group list" \
    "floating ip list" "volume list" "server group list"; do
    echo "== $kind"
    # shellcheck disable=SC2086
    os $kind -f value -c ID | sort
  done
}

check "orchestration template version list" os orchestration template version list -f value -c Version
expect "HOT versions by date" '^heat_template_version\.2016-04-08$'
check "template validate (a good template)" os orchestration template validate -t "$DIR/small.yaml" -f json
expect "its parameters" '"size"'
refuse "template validate refuses a bad property" os orchestration template validate -t "$DIR/bad.yaml"
expect "Heat's message with the path" "Property error: resources\.volume\.properties\.size: Value 'ten' is not an integer"

check "inventory before" inventory
BEFORE="$OUT"

check "stack create --wait" os stack create --wait -t "$DIR/small.yaml" --parameter size=2 "$N" -f value -c stack_status
expect "CREATE_COMPLETE" '^CREATE_COMPLETE$'
check "stack list" os stack list -f value -c "Stack Name" -c "Stack Status"
expect "the stack, complete" "^$N CREATE_COMPLETE$"
check "stack output show public_ip" os stack output show "$N" public_ip -f value -c output_value
expect "an address" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$'
check "stack output show server_ip" os stack output show "$N" server_ip -f value -c output_value
expect "on the stack's subnet" '^192\.168\.60\.[0-9]+$'
check "stack output show volume_size" os stack output show "$N" volume_size -f value -c output_value
expect "the size given" '^2$'
check "stack resource list" os stack resource list "$N" -f value -c resource_name -c resource_status
OUT="$(echo "$OUT" | grep -c ' CREATE_COMPLETE$')"
expect "all ten resources complete" '^10$'
check "stack resource show server" os stack resource show "$N" server -f value -c physical_resource_id
SERVER_ID="$OUT"
check "server list" os server list -f value -c ID
expect "the server the stack made" "^$SERVER_ID$"
check "stack event list" os stack event list "$N"
expect "the stack's own completion" "$N.*CREATE_COMPLETE"
check "the server is ACTIVE" os server list -f value -c Status
expect "ACTIVE" '^ACTIVE$'
check "the volume is in-use" os volume list -f value -c Status -c Size
expect "in-use, 2 GB" '^in-use 2$'

check "stack delete --wait --yes" os stack delete --wait --yes "$N"
check "stack list is empty" os stack list -f value -c ID
expect "nothing listed" '^$'
check "inventory after" inventory
if [ "$OUT" = "$BEFORE" ]; then
  PASSED=$((PASSED + 1)); echo "ok   nothing left behind"
else
  FAILED=$((FAILED + 1)); echo "FAIL something was left behind:"; diff <(echo "$BEFORE") <(echo "$OUT") | sed 's/^/     /'
fi
finish
