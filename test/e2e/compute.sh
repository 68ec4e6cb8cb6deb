#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: flavors, images, key pairs, servers and their actions.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"

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
check "server actions recorded" os server event list "$N-vm" -f value -c Action
expect "create, stop, start, reboot, resize" 'resize'
check "floating ip create" os floating ip create admin_external_net -f value -c floating_ip_address
FIP="$OUT"
check "router for the floating IP" bash -c "openstack --os-cloud local-demo router create '$N-router' >/dev/null && openstack --os-cloud local-demo router add subnet '$N-router' '$N-subnet' && openstack --os-cloud local-demo router set --external-gateway admin_external_net '$N-router'"
check "server add floating ip" os server add floating ip "$N-vm" "$FIP"
check "server shows the floating ip" os server show "$N-vm" -f value -c addresses
expect "floating address listed" "$FIP"
check "server delete --wait" os server delete --wait "$N-vm"
check "server gone" bash -c "! openstack --os-cloud local-demo server show '$N-vm'"
check "cleanup" bash -c "openstack --os-cloud local-demo floating ip delete '$FIP' && openstack --os-cloud local-demo router remove subnet '$N-router' '$N-subnet' && openstack --os-cloud local-demo router delete '$N-router' && openstack --os-cloud local-demo network delete '$N-net' && openstack --os-cloud local-demo server group delete '$N-group' && openstack --os-cloud local-demo keypair delete '$N-key'"
finish
