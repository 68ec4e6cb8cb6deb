#!/usr/bin/env bash
# The unmodified `openstack loadbalancer` commands (Debian's python3-octaviaclient) against `npm start`: a load
# balancer with a listener, a pool, three members (three servers' addresses) and a health monitor, created with
# --wait, listed, shown and deleted; then curl through the listener (the local data plane at /elb/data) sees the
# three servers in round-robin order, and a stopped server leave the rotation after the monitor's retries and
# come back once started.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"
BASE="http://127.0.0.1:$E2E_PORT"

# served N: who answered each of N requests through the listener (the first line of each answer), space-separated.
served() {
  local out=""
  for _ in $(seq 1 "$1"); do
    out="$out $(curl -s -H "X-Auth-Token: $TOKEN" "$BASE/elb/data/$LB/80/e2e" | head -1)"
  done
  echo "${out# }"
}

# wait_member MEMBER STATUS: polls the member until its operating status is STATUS (30 s at most).
wait_member() {
  for _ in $(seq 1 60); do
    [ "$(os loadbalancer member show "$N-pool" "$1" -f value -c operating_status)" = "$2" ] && return 0
    sleep 0.5
  done
  return 1
}

check "network create" os network create "$N-net" -f value -c id
check "subnet create" os subnet create --network "$N-net" --subnet-range 192.168.40.0/24 "$N-subnet" -f value -c id
for i in 1 2 3; do
  check "server create --wait $N-web$i" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --network "$N-net" --wait "$N-web$i" -f value -c id
done

check "loadbalancer create --wait" os loadbalancer create --name "$N-lb" --vip-subnet-id "$N-subnet" --wait -f value -c provisioning_status -c vip_address
expect "ACTIVE with a VIP of the subnet" '192\.168\.40\.'
LB="$(os loadbalancer show "$N-lb" -f value -c id)"
check "listener create --wait" os loadbalancer listener create --name "$N-listener" --protocol HTTP --protocol-port 80 --wait "$N-lb" -f value -c provisioning_status
expect "the listener is ACTIVE" '^ACTIVE$'
check "pool create --wait" os loadbalancer pool create --name "$N-pool" --listener "$N-listener" --protocol HTTP --lb-algorithm ROUND_ROBIN --wait -f value -c lb_algorithm
expect "round robin" '^ROUND_ROBIN$'
for i in 1 2 3; do
  ADDR="$(os server show "$N-web$i" -f value -c addresses | grep -Eo '192\.168\.40\.[0-9]+')"
  check "member create --wait $N-web$i ($ADDR)" os loadbalancer member create --name "$N-m$i" --address "$ADDR" --protocol-port 80 --subnet-id "$N-subnet" --wait "$N-pool" -f value -c address
done
check "healthmonitor create --wait" os loadbalancer healthmonitor create --name "$N-hm" --delay 1 --timeout 1 --max-retries 1 --max-retries-down 1 --type HTTP --url-path /health --wait "$N-pool" -f value -c type
expect "an HTTP monitor" '^HTTP$'

check "loadbalancer list" os loadbalancer list -f value -c name -c provisioning_status -c operating_status
expect "listed ACTIVE and ONLINE" "^$N-lb ACTIVE ONLINE$"
check "loadbalancer show" os loadbalancer show "$N-lb" -f value -c provider -c vip_port_id
expect "its provider" '^vlb$'
check "loadbalancer status show" os loadbalancer status show "$N-lb"
expect "the tree names the three members" "$N-m3"
check "listener list" os loadbalancer listener list -f value -c name -c protocol -c protocol_port
expect "the listener on 80" "^$N-listener HTTP 80$"
check "listener show" os loadbalancer listener show "$N-listener" -f value -c default_pool_id
check "pool list" os loadbalancer pool list -f value -c name -c protocol
expect "the pool" "^$N-pool HTTP$"
check "pool show" os loadbalancer pool show "$N-pool" -f value -c healthmonitor_id
check "member list" os loadbalancer member list "$N-pool" -f value -c name -c operating_status
expect "three members" "$N-m1 ONLINE"
check "member show" os loadbalancer member show "$N-pool" "$N-m2" -f value -c protocol_port
expect "on port 80" '^80$'
check "healthmonitor list" os loadbalancer healthmonitor list -f value -c name -c type
expect "the monitor" "^$N-hm HTTP$"
check "healthmonitor show" os loadbalancer healthmonitor show "$N-hm" -f json -c delay -c max_retries
expect "every second, one retry" '"delay": 1,?$|"max_retries": 1'

TOKEN="$(os token issue -f value -c id)"
check "curl through the listener: round robin over the three" served 6
expect "web1 web2 web3 web1 web2 web3" "^$N-web1 $N-web2 $N-web3 $N-web1 $N-web2 $N-web3$"
check "server stop $N-web2" os server stop "$N-web2"
check "the monitor marks its member ERROR" wait_member "$N-m2" ERROR
check "curl: the two left take turns" served 4
expect "web1 web3 web1 web3" "^$N-web1 $N-web3 $N-web1 $N-web3$"
check "server start $N-web2" os server start "$N-web2"
check "the monitor brings its member back ONLINE" wait_member "$N-m2" ONLINE
check "curl: the three again" served 3
expect "all three in turn" "^$N-web2 $N-web3 $N-web1$"

check "healthmonitor delete --wait" os loadbalancer healthmonitor delete --wait "$N-hm"
for i in 1 2 3; do check "member delete --wait $N-m$i" os loadbalancer member delete --wait "$N-pool" "$N-m$i"; done
check "pool delete --wait" os loadbalancer pool delete --wait "$N-pool"
check "listener delete --wait" os loadbalancer listener delete --wait "$N-listener"
check "loadbalancer delete --wait" os loadbalancer delete --wait "$N-lb"
check "loadbalancer list is empty" os loadbalancer list -f value -c id
expect "nothing left" '^$'
check "cleanup" bash -c "openstack --os-cloud local-demo server delete --wait $N-web1 $N-web2 $N-web3 && openstack --os-cloud local-demo network delete '$N-net'"
finish
