#!/usr/bin/env bash
# The unmodified `openstack` CLI against `npm start`: volume snapshots and backups (VBS through Cinder's /backups):
# snapshot create, backup create, restore onto a new volume (its size and properties checked), backup delete.
cd "$(dirname "$0")/../.." || exit 1
# Ports of its own (8817, and OBS on 8818), so that it runs beside the other suites.
E2E_PORT="${E2E_PORT:-8817}"
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
N="e2e-$$"

# wait_for WHAT NAME STATUS: polls `openstack WHAT show NAME` until its status is STATUS (60 s at most).
wait_for() {
  for _ in $(seq 1 120); do
    [ "$(openstack --os-cloud local-demo $1 show "$2" -f value -c status 2>/dev/null)" = "$3" ] && return 0
    sleep 0.5
  done
  return 1
}
# wait_gone WHAT NAME: polls until `openstack WHAT show NAME` fails.
wait_gone() {
  for _ in $(seq 1 120); do
    openstack --os-cloud local-demo $1 show "$2" >/dev/null 2>&1 || return 0
    sleep 0.5
  done
  return 1
}

check "volume create" os volume create --size 3 --type SSD --property app=web --property tier=1 "$N-vol" -f value -c id
check "the volume becomes available" wait_for volume "$N-vol" available
check "volume snapshot create" os volume snapshot create --volume "$N-vol" "$N-snap" -f value -c id
check "the snapshot becomes available" wait_for "volume snapshot" "$N-snap" available
check "volume snapshot list" os volume snapshot list -f value -c Name -c Status -c Size
expect "the snapshot listed with its size" "$N-snap available 3"
check "volume backup create" os volume backup create --name "$N-bk" "$N-vol" -f value -c name
expect "the backup's name printed" "^$N-bk\$"
check "the backup becomes available" wait_for "volume backup" "$N-bk" available
check "volume backup list" os volume backup list -f value -c Name -c Status -c Size
expect "the backup listed with its size" "$N-bk available 3"
check "a second backup (incremental)" os volume backup create --name "$N-bk2" "$N-vol" -f value -c id
check "the second backup becomes available" wait_for "volume backup" "$N-bk2" available
check "volume backup show" os volume backup show "$N-bk2" -f value -c is_incremental
expect "the second backup is incremental" '^True$'
refuse "restore onto an existing volume without --force (client side)" os volume backup restore "$N-bk" "$N-vol"
# OSC 6.0.0 (Debian 12) sends the restore and then fails to print its answer ("cannot unpack non-iterable
# VolumeBackupsRestore object", fixed upstream in 6.1): the request is what is checked here, its effect below.
restore() {
  local out
  out="$(openstack --os-cloud local-demo volume backup restore "$@" 2>&1)" && return 0
  echo "$out"
  echo "$out" | grep -q 'cannot unpack non-iterable VolumeBackupsRestore object'
}
check "volume backup restore onto a new volume" restore "$N-bk" "$N-restored"
check "the restored volume becomes available" wait_for volume "$N-restored" available
check "volume show (restored)" os volume show "$N-restored" -f value -c size -c type -c properties
expect "the restored volume has the source's size" '^3$'
expect "the restored volume has the source's type" '^SSD$'
expect "the restored volume has the source's properties" "'app': 'web', 'tier': '1'"
refuse "volume backup delete of a backup another builds on" os volume backup delete "$N-bk"
expect "Cinder's reason" 'Incremental backups exist'
check "volume backup delete (newest first)" os volume backup delete "$N-bk2"
check "the newest backup is gone" wait_gone "volume backup" "$N-bk2"
check "volume backup delete" os volume backup delete "$N-bk"
check "the backup is gone" wait_gone "volume backup" "$N-bk"
check "volume snapshot delete" os volume snapshot delete "$N-snap"
check "the snapshot is gone" wait_gone "volume snapshot" "$N-snap"
check "volume delete" os volume delete "$N-vol" "$N-restored"
check "the volumes are gone" bash -c "$(declare -f wait_gone); wait_gone volume '$N-vol' && wait_gone volume '$N-restored'"

finish
