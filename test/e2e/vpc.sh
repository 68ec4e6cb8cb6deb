#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: networks, subnets, routers, security groups, ports, floating IPs.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"

check "network create" os network create "$N-net" -f value -c id
NET_ID="$OUT"
check "subnet create" os subnet create --network "$N-net" --subnet-range 192.168.10.0/24 --dns-nameserver 100.125.0.41 "$N-subnet" -f value -c id
SUBNET_ID="$OUT"
check "subnet show" os subnet show "$N-subnet" -f value -c gateway_ip -c allocation_pools
expect "gateway is the first host" '192\.168\.10\.1'
check "network list" os network list -f value -c Name
expect "network list shows the new network and the external one" "$N-net"
expect "the external network is listed" 'admin_external_net'
check "router create" os router create "$N-router" -f value -c id
check "router add subnet" os router add subnet "$N-router" "$N-subnet"
check "router set external gateway" os router set --external-gateway admin_external_net "$N-router"
check "router show" os router show "$N-router" -f json -c interfaces_info -c external_gateway_info
expect "the interface sits on the gateway" '192\.168\.10\.1'
check "security group create" os security group create "$N-sg" -f value -c id
check "security group rule create" os security group rule create --protocol tcp --dst-port 22 --remote-ip 0.0.0.0/0 "$N-sg" -f value -c id
check "duplicate rule is refused" bash -c "! openstack --os-cloud local-demo security group rule create --protocol tcp --dst-port 22 --remote-ip 0.0.0.0/0 '$N-sg'"
check "security group rule list" os security group rule list "$N-sg" -f value -c 'Port Range'
expect "the rule is listed" '22:22'
check "port create" os port create --network "$N-net" --security-group "$N-sg" --fixed-ip subnet="$N-subnet",ip-address=192.168.10.50 "$N-port" -f value -c id
PORT_ID="$OUT"
check "port list" os port list --network "$N-net" -f value -c 'Fixed IP Addresses'
expect "the port has the address asked for" '192\.168\.10\.50'
check "floating ip create" os floating ip create admin_external_net -f value -c floating_ip_address -c id
check "floating ip list" os floating ip list -f value -c ID -c 'Floating IP Address'
FIP_ID="$(echo "$OUT" | head -1 | cut -d' ' -f1)"
expect "an address from the pool" '80\.158\.'
check "floating ip set port" os floating ip set --port "$PORT_ID" "$FIP_ID"
check "floating ip show" os floating ip show "$FIP_ID" -f value -c status -c fixed_ip_address
expect "bound to the port" '192\.168\.10\.50'
check "floating ip delete" os floating ip delete "$FIP_ID"
check "port delete" os port delete "$N-port"
check "security group delete" os security group delete "$N-sg"
check "router remove subnet" os router remove subnet "$N-router" "$N-subnet"
check "router delete" os router delete "$N-router"
check "subnet delete" os subnet delete "$N-subnet"
check "network delete" os network delete "$N-net"
# Neutron's bulk create (no CLI verb makes one): two networks in one request, then gone with the CLI.
bulk_networks() {
  local token
  token="$(openstack --os-cloud local-demo token issue -f value -c id)" || return 1
  curl -sf -X POST -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"networks\": [{\"name\": \"$N-bulk1\"}, {\"name\": \"$N-bulk2\"}]}" \
    "http://127.0.0.1:$E2E_PORT/vpc/v2.0/networks" |
    python3 -c 'import json,sys; [print(n["name"]) for n in json.load(sys.stdin)["networks"]]'
}
check "bulk network create" bulk_networks
expect "both networks made" "$N-bulk2"
check "bulk networks delete" os network delete "$N-bulk1" "$N-bulk2"
check "nothing left" os network list -f value -c Name
expect "only the external network remains" '^admin_external_net$'
finish
