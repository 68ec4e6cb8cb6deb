#!/usr/bin/env bash
# Auto Scaling end to end against `npm start`, its clocks shortened (guests sampled and alarms evaluated every
# 5 s, a group's rounds every second): a group of one server behind a load balancer; a workload raises its CPU,
# Cloud Eye's alarm fires, the group grows by its policy and the new server joins the pool (requests through the
# listener reach both); the load falls, and after the cool-down the group shrinks back and the pool with it.
cd "$(dirname "$0")/../.." || exit 1
export FE_VAR_CES_COLLECT_MS=5000 FE_VAR_CES_EVALUATE_MS=5000 FE_VAR_AS_TICK_MS=1000
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"
BASE="http://127.0.0.1:$E2E_PORT"
TOKEN="$(os token issue -f value -c id)"
PROJECT="$(os token issue -f value -c project_id)"
AS="$BASE/as/autoscaling-api/v1/$PROJECT"
CES="$BASE/ces/V1.0/$PROJECT"
api() { curl -sS -f -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# in_service N: polls until the group holds N instances, all INSERVICE, and is not scaling (90 s at most).
in_service() {
  for _ in $(seq 1 180); do
    local list group
    list="$(api "$AS/scaling_group_instance/$GROUP/list")" || return 1
    group="$(api "$AS/scaling_group/$GROUP")" || return 1
    if [ "$(echo "$list" | field "sum(i['life_cycle_state'] == 'INSERVICE' for i in d['scaling_group_instances'])")" = "$1" ] \
      && [ "$(echo "$list" | field "d['total_number']")" = "$1" ] \
      && [ "$(echo "$group" | field "d['scaling_group']['is_scaling']")" = "False" ]; then
      echo "$list"
      return 0
    fi
    sleep 0.5
  done
  echo "$list"; return 1
}
# members N: polls until the pool has N members, all ACTIVE (60 s at most).
members() {
  for _ in $(seq 1 120); do
    local out
    out="$(os loadbalancer member list "$N-pool" -f value -c address -c provisioning_status)"
    if [ "$(echo "$out" | grep -cw 'ACTIVE')" = "$1" ] && [ "$(echo "$out" | grep -c .)" = "$1" ]; then echo "$out"; return 0; fi
    sleep 0.5
  done
  echo "$out"; return 1
}
# went_off ALARM: polls the alarm's history until it has entered `alarm` (60 s at most).
went_off() {
  for _ in $(seq 1 120); do
    api "$CES/alarm-histories?alarm_id=$1" | grep -q '"status":"alarm"' && return 0
    sleep 0.5
  done
  api "$CES/alarm-histories?alarm_id=$1"; return 1
}
# workload SERVER LEVEL: the guest's CPU from now on.
workload() { api -X PUT "$CES/load-profiles/$1" -d "{\"load_profile\":{\"shape\":\"constant\",\"level\":$2}}"; }

check "vpc create" api -X POST "$BASE/vpc/v1/$PROJECT/vpcs" -d "{\"vpc\":{\"name\":\"$N-vpc\",\"cidr\":\"192.168.0.0/16\"}}"
VPC="$(echo "$OUT" | field "d['vpc']['id']")"
check "subnet create" api -X POST "$BASE/vpc/v1/$PROJECT/subnets" -d "{\"subnet\":{\"name\":\"$N-sub\",\"cidr\":\"192.168.50.0/24\",\"gateway_ip\":\"192.168.50.1\",\"vpc_id\":\"$VPC\"}}"
SUBNET="$(echo "$OUT" | field "d['subnet']['id']")"
NEUTRON_SUBNET="$(os subnet list --network "$SUBNET" -f value -c ID)"
check "keypair create" os keypair create "$N-key" --private-key "$E2E_DIR/key.pem"
IMAGE="$(os image show 'OBS Ubuntu 22.04' -f value -c id)"

check "loadbalancer create --wait" os loadbalancer create --name "$N-lb" --vip-subnet-id "$NEUTRON_SUBNET" --wait -f value -c id
LB="$(os loadbalancer show "$N-lb" -f value -c id)"
check "listener create --wait" os loadbalancer listener create --name "$N-listener" --protocol HTTP --protocol-port 80 --wait "$N-lb"
check "pool create --wait" os loadbalancer pool create --name "$N-pool" --listener "$N-listener" --protocol HTTP --lb-algorithm ROUND_ROBIN --wait -f value -c id
POOL="$(os loadbalancer pool show "$N-pool" -f value -c id)"

check "scaling configuration create" api -X POST "$AS/scaling_configuration" -d "{\"scaling_configuration_name\":\"$N-config\",\"instance_config\":{\"flavorRef\":\"s3.small.1\",\"imageRef\":\"$IMAGE\",\"disk\":[{\"size\":40,\"volume_type\":\"SATA\",\"disk_type\":\"SYS\"}],\"key_name\":\"$N-key\"}}"
CONFIG="$(echo "$OUT" | field "d['scaling_configuration_id']")"
check "scaling group create" api -X POST "$AS/scaling_group" -d "{\"scaling_group_name\":\"$N-group\",\"scaling_configuration_id\":\"$CONFIG\",\"vpc_id\":\"$VPC\",\"networks\":[{\"id\":\"$SUBNET\"}],\"min_instance_number\":1,\"desire_instance_number\":1,\"max_instance_number\":3,\"cool_down_time\":10,\"lbaas_listeners\":[{\"pool_id\":\"$POOL\",\"protocol_port\":80,\"weight\":1}]}"
GROUP="$(echo "$OUT" | field "d['scaling_group_id']")"
check "the group launches its first server" in_service 1
FIRST="$(echo "$OUT" | field "d['scaling_group_instances'][0]['instance_id']")"
check "which joins the pool" members 1

rule() {
  api -X POST "$CES/alarms" -d "{\"alarm_name\":\"$N-$1\",\"metric\":{\"namespace\":\"SYS.AS\",\"metric_name\":\"cpu_util\",\"dimensions\":[{\"name\":\"AutoScalingGroup\",\"value\":\"$GROUP\"}]},\"condition\":{\"period\":1,\"filter\":\"average\",\"comparison_operator\":\"$2\",\"value\":$3,\"unit\":\"%\",\"count\":1},\"alarm_actions\":[{\"type\":\"autoscaling\",\"notificationList\":[]}]}" | field "d['alarm_id']"
}
policy() {
  api -X POST "$AS/scaling_policy" -d "{\"scaling_policy_name\":\"$N-$1\",\"scaling_group_id\":\"$GROUP\",\"scaling_policy_type\":\"ALARM\",\"alarm_id\":\"$2\",\"scaling_policy_action\":{\"operation\":\"$3\",\"instance_number\":1},\"cool_down_time\":0}"
}
HOT="$(rule hot '>=' 80)"
COLD="$(rule cold '<=' 20)"
check "a scale-out policy on the hot alarm" policy out "$HOT" ADD
check "a scale-in policy on the cold alarm" policy in "$COLD" REMOVE

check "the first server runs hot" workload "$FIRST" 95
check "Cloud Eye's hot alarm goes off" went_off "$HOT"
check "the group grows to two" in_service 2
check "the new server joins the pool" members 2
check "requests through the listener reach both" bash -c "for _ in 1 2 3 4; do curl -s -H 'X-Auth-Token: $TOKEN' '$BASE/elb/data/$LB/80/e2e' | head -1; done | sort -u | wc -l"
expect "two servers answered" '^2$'
check "the activity log says so" api "$AS/scaling_activity_log/$GROUP"
expect "a successful scale-out to 2" '"status":"SUCCESS".*"desire_value":2'

check "the load falls" workload "$FIRST" 1
check "the group shrinks back to one after the cool-down" in_service 1
check "and the pool with it" members 1
check "the desired count" api "$AS/scaling_group/$GROUP"
expect "is one" '"desire_instance_number":1'

check "the group is deleted with force, and its server" api -X DELETE "$AS/scaling_group/$GROUP?force_delete=yes"
check "the group is gone" bash -c "for _ in \$(seq 1 120); do [ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: $TOKEN' '$AS/scaling_group/$GROUP')\" = 404 ] && exit 0; sleep 0.5; done; exit 1"
check "no server of the group is left" bash -c "! openstack --os-cloud local-demo server list -f value -c Name | grep -q '^$N-group-'"
finish
