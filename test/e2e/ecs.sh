#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: flavors, images, key pairs, servers and their actions, bare metal.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"

# no_match PATTERN: the last command's output must not match the pattern.
no_match() { ! echo "$OUT" | grep -Eq -- "$1"; }

# wait_status SERVER STATUS: polls until the server shows STATUS (60 s at most).
wait_status() {
  for _ in $(seq 1 60); do
    [ "$(openstack --os-cloud local-demo server show "$1" -f value -c status)" = "$2" ] && return 0
    sleep 1
  done
  return 1
}

check "flavor list" os flavor list -f value -c Name
expect "flavors of the catalogue" 's3\.small\.1'
check "image list" os image list -f value -c Name
expect "public images" 'OBS Ubuntu 22\.04'
check "keypair create" os keypair create "$N-key" --private-key "$E2E_DIR/key.pem"
check "the private key was written" grep -q 'PRIVATE KEY' "$E2E_DIR/key.pem"
check "network create" os network create "$N-net" -f value -c id
check "subnet create" os subnet create --network "$N-net" --subnet-range 192.168.20.0/24 "$N-subnet" -f value -c id
check "security group create" os security group create "$N-sg" -f value -c id
check "server group create" os server group create --policy anti-affinity "$N-group" -f value -c id
check "server create --wait" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --network "$N-net" --security-group "$N-sg" --key-name "$N-key" --wait "$N-vm" -f value -c status
expect "the server is ACTIVE" '^ACTIVE$'
check "server list" os server list -f value -c Name -c Status -c Networks
expect "listed with its address" "$N-vm ACTIVE .*192\.168\.20\."
check "server show" os server show "$N-vm" -f value -c OS-EXT-STS:vm_state -c key_name
expect "vm_state active, key pair kept" 'active'
check "compute version discovery" bash -c "curl -sf http://127.0.0.1:$E2E_PORT/ecs/v2.1"
expect "the maximum microversion is 2.26" '"version": ?"2\.26"'
os26() { os --os-compute-api-version 2.26 "$@"; }
check "server set --tag (2.26)" os26 server set --tag web --tag env=e2e "$N-vm"
check "server show -c tags" os26 server show "$N-vm" -f value -c tags
expect "both tags shown" "env=e2e.*web"
check "server list --tags" os26 server list --tags web -f value -c Name
expect "the tagged server listed" "^$N-vm\$"
check "server list --tags (all of them)" os26 server list --tags web --tags absent -f value -c Name
expect "no server has both" '^$'
check "server list --not-tags" os26 server list --not-tags web -f value -c Name
expect "the tagged server left out" '^$'
check "server unset --tag" os26 server unset --tag web "$N-vm"
check "server show -c tags after unset" os26 server show "$N-vm" -f value -c tags
expect "only env=e2e is left" "^\[?'?env=e2e'?\]?\$"
check "server set --description (2.19)" os26 server set --description "e2e web server" "$N-vm"
check "server show -c description" os26 server show "$N-vm" -f value -c description
expect "the description" '^e2e web server$'
check "server show at 2.1" os --os-compute-api-version 2.1 server show "$N-vm" -f json
check "no locked, description or tags at 2.1" no_match '"(tags|description|locked)"'
check "server lock" os server lock "$N-vm"
check "server show -c locked (2.9)" os --os-compute-api-version 2.9 server show "$N-vm" -f value -c locked
expect "locked" '^True$'
check "a locked server refuses to stop" bash -c "! openstack --os-cloud local-demo server stop '$N-vm'"
expect "409: the server is locked" 'is locked'
check "server unlock" os server unlock "$N-vm"
check "server show -c locked after unlock" os --os-compute-api-version 2.9 server show "$N-vm" -f value -c locked
expect "unlocked" '^False$'
check "console log" os console log show "$N-vm"
expect "the simulated boot" 'Cloud-init finished at'
check "server stop" os server stop "$N-vm"
check "server is SHUTOFF" wait_status "$N-vm" SHUTOFF
check "server start" os server start "$N-vm"
check "server is ACTIVE again" wait_status "$N-vm" ACTIVE
check "server reboot" os server reboot "$N-vm"
check "server is ACTIVE after reboot" wait_status "$N-vm" ACTIVE
check "server resize --wait" os server resize --flavor s3.medium.2 --wait "$N-vm"
check "server is VERIFY_RESIZE" wait_status "$N-vm" VERIFY_RESIZE
check "server resize confirm" os server resize confirm "$N-vm"
check "server is ACTIVE on the new flavor" wait_status "$N-vm" ACTIVE
check "flavor changed" os server show "$N-vm" -f value -c flavor
expect "the new flavor" 's3\.medium\.2'
check "server rebuild --wait" os server rebuild --image 'OBS Ubuntu 20.04' --wait "$N-vm"
check "rebuilt from the new image" os server show "$N-vm" -f value -c image
expect "the image changed" 'OBS Ubuntu 20\.04'
check "server pause" os server pause "$N-vm"
check "server is PAUSED" wait_status "$N-vm" PAUSED
check "server unpause" os server unpause "$N-vm"
check "server is ACTIVE after unpause" wait_status "$N-vm" ACTIVE
check "server suspend" os server suspend "$N-vm"
check "server is SUSPENDED" wait_status "$N-vm" SUSPENDED
check "server resume" os server resume "$N-vm"
check "server is ACTIVE after resume" wait_status "$N-vm" ACTIVE
check "a second security group" os security group create "$N-web" -f value -c id
check "server add security group" os server add security group "$N-vm" "$N-web"
check "server show lists both groups" os server show "$N-vm" -f json -c security_groups
expect "the second group is on" "\"$N-web\""
check "server remove security group" os server remove security group "$N-vm" "$N-web"
check "server show after the removal" os server show "$N-vm" -f json -c security_groups
check "the second group is off" no_match "\"$N-web\""
check "extension list (compute)" os extension list --compute -f value -c Alias
expect "pause is offered" 'os-pause-server'
check "server actions recorded" os server event list "$N-vm" -f value -c Action
expect "create, stop, start, reboot, resize" 'resize'
expect "pause and suspend recorded" 'suspend'
check "floating ip create" os floating ip create admin_external_net -f value -c floating_ip_address
FIP="$OUT"
check "router for the floating IP" bash -c "openstack --os-cloud local-demo router create '$N-router' >/dev/null && openstack --os-cloud local-demo router add subnet '$N-router' '$N-subnet' && openstack --os-cloud local-demo router set --external-gateway admin_external_net '$N-router'"
check "server add floating ip" os server add floating ip "$N-vm" "$FIP"
check "server shows the floating ip" os server show "$N-vm" -f value -c addresses
expect "floating address listed" "$FIP"
check "server delete --wait" os server delete --wait "$N-vm"
check "server gone" bash -c "! openstack --os-cloud local-demo server show '$N-vm'"

# Bare metal: a physical.* flavor with the Ironic-type image takes a whole bare-metal host; the zone has two.
# bms_hosts: "id kind claimed-servers instances" for each host of eu-west-0a, as the operator's host API shows it.
bms_hosts() {
  local token
  token="$(openstack --os-cloud local-admin token issue -f value -c id)" || return 1
  curl -sf -H "X-Auth-Token: $token" "http://127.0.0.1:$E2E_PORT/ecs/admin/hosts?zone=eu-west-0a" |
    python3 -c 'import json,sys; [print(h["id"], h["kind"], h["used"]["servers"], h["instances"]) for h in json.load(sys.stdin)["hosts"]]'
}
BMS=(--flavor physical.s4.medium --image 'OBS Ubuntu 22.04 BMS' --network "$N-net" --availability-zone eu-west-0a)
check "the operator raises the demo quota for bare metal" bash -c "openstack --os-cloud local-admin quota set --cores 200 --ram 1048576 --instances 30 \"\$(openstack --os-cloud local-demo token issue -f value -c project_id)\""
check "bare-metal server create --wait" os server create "${BMS[@]}" --wait "$N-bms1" -f value -c status
expect "the bare-metal server is ACTIVE" '^ACTIVE$'
check "bare-metal server show" os server show "$N-bms1" -f value -c flavor -c image
expect "a physical flavor" 'physical\.s4\.medium'
expect "the Ironic image" 'OBS Ubuntu 22\.04 BMS'
check "bare-metal hosts" bms_hosts
expect "it holds one bare-metal host" '^eu-west-0a-bms-0[12] baremetal 1 1$'
check "no general host runs it" no_match '^eu-west-0a-cmp-[0-9]+ general [1-9]'
check "a second bare-metal server --wait" os server create "${BMS[@]}" --wait "$N-bms2" -f value -c status
expect "the second is ACTIVE" '^ACTIVE$'
check "on another host" bash -c "[ \"\$(openstack --os-cloud local-demo server show '$N-bms1' -f value -c hostId)\" != \"\$(openstack --os-cloud local-demo server show '$N-bms2' -f value -c hostId)\" ]"
check "bare-metal hosts, both taken" bms_hosts
expect "bms-01 holds one" '^eu-west-0a-bms-01 baremetal 1 1$'
expect "bms-02 holds one" '^eu-west-0a-bms-02 baremetal 1 1$'
check "a third bare-metal server in the zone" os server create "${BMS[@]}" "$N-bms3" -f value -c id
check "finds no free host: ERROR" wait_status "$N-bms3" ERROR
check "its fault" os server show "$N-bms3" -f value -c fault
expect "no valid host" 'No valid host'
check "bare-metal servers delete --wait" os server delete --wait "$N-bms1" "$N-bms2" "$N-bms3"
check "bare-metal hosts, free again" bms_hosts
expect "bms-01 is free" '^eu-west-0a-bms-01 baremetal 0 0$'
expect "bms-02 is free" '^eu-west-0a-bms-02 baremetal 0 0$'

check "cleanup" bash -c "openstack --os-cloud local-demo floating ip delete '$FIP' && openstack --os-cloud local-demo router remove subnet '$N-router' '$N-subnet' && openstack --os-cloud local-demo router delete '$N-router' && openstack --os-cloud local-demo network delete '$N-net' && openstack --os-cloud local-demo server group delete '$N-group' && openstack --os-cloud local-demo keypair delete '$N-key'"
finish
