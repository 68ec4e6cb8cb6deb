#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: private images (upload, download byte for byte, properties),
# sharing with another account, an image of a server and a server booted from it, delete.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
admin() { openstack --os-cloud local-admin "$@"; }
N="e2e-$$"

# wait_image IMAGE STATUS: polls until the image shows STATUS (60 s at most).
wait_image() {
  for _ in $(seq 1 60); do
    [ "$(openstack --os-cloud local-demo image show "$1" -f value -c status)" = "$2" ] && return 0
    sleep 1
  done
  return 1
}

head -c $((64 * 1024 * 1024)) /dev/urandom >"$E2E_DIR/disk.qcow2"
check "image create --file (64 MiB)" os image create --file "$E2E_DIR/disk.qcow2" --disk-format qcow2 --container-format bare --private --property os_distro=ubuntu "$N-img" -f value -c id
IMG="$(echo "$OUT" | tail -1)"
check "the image is active" wait_image "$N-img" active
check "image show" os image show "$N-img" -f value -c size -c checksum
expect "its size is the file's" '^67108864$'
expect "its checksum is the file's md5" "^$(md5sum "$E2E_DIR/disk.qcow2" | cut -d' ' -f1)\$"
check "image save" os image save --file "$E2E_DIR/saved.qcow2" "$N-img"
check "the saved bytes are the uploaded ones" cmp "$E2E_DIR/disk.qcow2" "$E2E_DIR/saved.qcow2"
check "image set --property" os image set --property purpose=e2e --property os_distro=debian "$N-img"
check "image show -c properties" os image show "$N-img" -f json -c properties
expect "the new property" '"purpose": "e2e"'
expect "the changed property" '"os_distro": "debian"'
check "image list" os image list -f value -c Name
expect "listed with the public images" "$N-img"
check "image set --tag" os image set --tag e2e "$N-img"
check "image unset --property" os image unset --property purpose "$N-img"
check "image show -c tags -c properties" os image show "$N-img" -f json -c tags -c properties
expect "the tag" '"e2e"'
check "the property is gone" bash -c "! grep -q '\"purpose\"' <<<\"\$0\"" "$OUT"
check "image set --deactivate" os image set --deactivate "$N-img"
refuse "image save of a deactivated image" os image save --file "$E2E_DIR/refused.qcow2" "$N-img"
check "image set --activate" os image set --activate "$N-img"
check "image list --private" os image list --private -f value -c Name
expect "listed as private" "^$N-img\$"

# Sharing with another account (the operator's): listed there only once accepted.
check "the other account's project" admin token issue -f value -c project_id
OTHER="$(echo "$OUT" | tail -1)"
check "image set --shared" os image set --shared "$N-img"
check "image add project" os image add project "$IMG" "$OTHER" -f value -c status
expect "the member is pending" '^pending$'
check "image list (other account, pending)" admin image list -f value -c ID
check "not listed before it is accepted" bash -c "! grep -q '$IMG' <<<\"\$0\"" "$OUT"
check "image set --accept (other account)" admin image set --accept "$IMG"
check "image member list" os image member list "$IMG" -f value -c Status
expect "accepted" '^accepted$'
check "image list (other account, accepted)" admin image list -f value -c ID
expect "listed once accepted" "$IMG"
check "image save (other account)" admin image save --file "$E2E_DIR/shared.qcow2" "$IMG"
check "the member reads the same bytes" cmp "$E2E_DIR/disk.qcow2" "$E2E_DIR/shared.qcow2"
check "image list --shared (other account)" admin image list --shared -f value -c ID
expect "listed as shared" "^$IMG\$"

# An image of a server, and a server booted from it.
check "network create" os network create "$N-net" -f value -c id
check "subnet create" os subnet create --network "$N-net" --subnet-range 192.168.30.0/24 "$N-subnet" -f value -c id
check "server create --wait" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --network "$N-net" --wait "$N-vm" -f value -c status
expect "the server is ACTIVE" '^ACTIVE$'
check "server image create --wait" os server image create --name "$N-snap" --wait "$N-vm" -f value -c name -c status
expect "the image is named" "$N-snap"
check "the server's image is active" wait_image "$N-snap" active
check "image show (server image)" os image show "$N-snap" -f json -c properties
expect "its origin is the server" '"__data_origin": "instance,'
check "server create --image of the server's image" os server create --flavor s3.small.1 --image "$N-snap" --network "$N-net" --wait "$N-vm2" -f value -c status
expect "booted from the private image" '^ACTIVE$'
check "server show -c image" os server show "$N-vm2" -f value -c image
expect "it names the private image" "$N-snap"

check "server delete --wait" os server delete --wait "$N-vm" "$N-vm2"
check "image delete (server image)" os image delete "$N-snap"
check "image delete" os image delete "$N-img"
refuse "image show after delete" os image show "$N-img"
refuse "the other account no longer sees it" admin image show "$IMG"
finish
