#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: EVS volumes (create, list, show, extend, delete), attached to a
# server and detached with the states seen in order, and a server booted from a volume.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"

# wait_volume VOLUME STATUS: polls until the volume shows STATUS (60 s at most).
wait_volume() {
  for _ in $(seq 1 120); do
    [ "$(openstack --os-cloud local-demo volume show "$1" -f value -c status)" = "$2" ] && return 0
    sleep 0.5
  done
  return 1
}

# statuses_until VOLUME STATUS: polls the volume as fast as the CLI goes and prints each status seen once, in order,
# until STATUS (60 s at most).
statuses_until() {
  local last="" s
  for _ in $(seq 1 120); do
    s="$(openstack --os-cloud local-demo volume show "$1" -f value -c status)" || return 1
    [ "$s" != "$last" ] && echo "$s" && last="$s"
    [ "$s" = "$2" ] && return 0
  done
  return 1
}

# in_order ALLOWED...: the statuses in $OUT are a run of ALLOWED, in that order (any may be missed, none repeated).
in_order() {
  local seen expected
  seen="$(echo "$OUT" | tr '\n' ' ')"
  expected="$(for s in "$@"; do echo "$OUT" | grep -qx "$s" && echo "$s"; done | tr '\n' ' ')"
  [ "$seen" = "$expected" ]
}

check "network create" os network create "$N-net" -f value -c id
check "subnet create" os subnet create --network "$N-net" --subnet-range 192.168.30.0/24 "$N-subnet" -f value -c id
check "server create --wait" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --network "$N-net" --wait "$N-vm" -f value -c OS-EXT-AZ:availability_zone
ZONE="$(echo "$OUT" | tail -1)"
check "volume create --size 10 --type SSD" os volume create --size 10 --type SSD --availability-zone "$ZONE" "$N-vol" -f value -c id
VOL="$OUT"
check "the volume becomes available" wait_volume "$N-vol" available
check "volume list --long" os volume list --long -f value -c Name -c Status -c Size -c Type
expect "listed with its size and type" "^$N-vol available 10 SSD"
check "volume show" os volume show "$N-vol" -f value -c size -c volume_type -c availability_zone -c bootable
expect "its size, type and zone" "$ZONE"

check "server add volume" os server add volume "$N-vm" "$N-vol" -f value -c Device
expect "attached as /dev/vdb" '^/dev/vdb$'
check "attaching, then in-use" statuses_until "$N-vol" in-use
echo "     seen: $(echo "$OUT" | tr '\n' ' ')"
check "the attach states in order" in_order available attaching in-use
check "volume show -c attachments" os volume show "$N-vol" -f json -c attachments
expect "attached to the server at /dev/vdb" '"device": "/dev/vdb"'
check "server show -c volumes_attached" os server show "$N-vm" -f value -c volumes_attached
expect "the server lists it" "$VOL"
check "server remove volume" os server remove volume "$N-vm" "$N-vol"
check "detaching, then available" statuses_until "$N-vol" available
echo "     seen: $(echo "$OUT" | tr '\n' ' ')"
check "the detach states in order" in_order in-use detaching available

check "volume set --size 20" os volume set --size 20 "$N-vol"
check "extended, available again" wait_volume "$N-vol" available
check "volume show -c size" os volume show "$N-vol" -f value -c size
expect "20 GB" '^20$'
check "volume delete" os volume delete "$N-vol"
check "the volume is gone" bash -c "for _ in \$(seq 1 60); do openstack --os-cloud local-demo volume show '$N-vol' >/dev/null 2>&1 || exit 0; sleep 0.5; done; exit 1"

# The public images need 40 GB (their min_disk); a smaller boot volume is refused, as Nova refuses it.
refuse "server create --boot-from-volume 10 (smaller than the image)" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --boot-from-volume 10 --network "$N-net" "$N-small"
expect "the image's minimum disk" 'minDisk size 40'
check "server create --boot-from-volume 40 --wait" os server create --flavor s3.small.1 --image 'OBS Ubuntu 22.04' --boot-from-volume 40 --network "$N-net" --wait "$N-bfv" -f value -c status
expect "the server is ACTIVE" '^ACTIVE$'
check "server show -c image" os server show "$N-bfv" -f json -c image -c volumes_attached
expect "booted from a volume: no image" '"image": "(N/A \(booted from volume\))?"'
check "its root volume" os volume list --long -f value -c Status -c Size -c Attached\ to
expect "40 GB in-use on /dev/vda" "in-use 40 .*/dev/vda"
# A 10 GB boot volume needs an image that fits in it: a private one of the project's own (min_disk 1).
head -c 1048576 /dev/urandom > "$E2E_DIR/tiny.img"
check "image create --min-disk 1 (a small private image)" os image create --file "$E2E_DIR/tiny.img" --disk-format raw --container-format bare --min-disk 1 --private "$N-tiny" -f value -c id
check "image show -c status" os image show "$N-tiny" -f value -c status
expect "the image is active" '^active$'
check "server create --boot-from-volume 10 --wait" os server create --flavor s3.small.1 --image "$N-tiny" --boot-from-volume 10 --network "$N-net" --wait "$N-bfv10" -f value -c status
expect "the server is ACTIVE" '^ACTIVE$'
check "its 10 GB root volume" os volume list --long -f value -c Status -c Size -c Attached\ to
expect "10 GB in-use on /dev/vda" "in-use 10 .*/dev/vda"
check "server delete --wait" os server delete --wait "$N-bfv" "$N-vm" "$N-bfv10"
check "image delete" os image delete "$N-tiny"
check "the root volume outlives its server (not deleted on termination)" os volume list --long -f value -c Status -c Size
expect "available again" '^available 40$'
check "cleanup" bash -c "openstack --os-cloud local-demo volume list -f value -c ID | xargs -r openstack --os-cloud local-demo volume delete && openstack --os-cloud local-demo network delete '$N-net'"
finish
