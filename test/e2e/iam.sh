#!/usr/bin/env bash
# The unmodified `openstack` CLI (Debian's python3-openstackclient) against `npm start`: identity.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

os() { openstack --os-cloud local-demo "$@"; }
adm() { openstack --os-cloud local-admin "$@"; }
NEW_USER="e2e-user-$$"

check "token issue" os token issue -f value -c expires -c project_id -c user_id
expect "token issue shows the expiry" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
check "catalog list" os catalog list -f value -c Type -c Name
expect "catalog has identity" 'keystone identity|identity'
check "project list" os project list -f value -c Name
expect "project list shows the regions" 'eu-west-0'
check "user create" os user create --domain demo --password 'E2e-pass-1234' "$NEW_USER" -f value -c id
USER_ID="$OUT"
check "user list" os user list -f value -c Name
expect "user list shows the new user" "$NEW_USER"
check "user show" os user show "$NEW_USER" -f value -c id
expect "user show by name finds it" "$USER_ID"
check "role add" os role add --user "$NEW_USER" --user-domain demo --project eu-west-0 --project-domain demo readonly
check "role assignment list" os role assignment list --user "$USER_ID" --names -f value -c Role -c Project
expect "the assignment is listed" 'readonly +eu-west-0@demo|readonly eu-west-0@demo'
check "the new user signs in" openstack --os-auth-url "$(os configuration show -f value -c auth.auth_url)" --os-username "$NEW_USER" --os-password 'E2e-pass-1234' --os-user-domain-name demo --os-project-name eu-west-0 --os-project-domain-name demo --os-identity-api-version 3 token issue -f value -c id
check "region list" os region list -f value -c Region
expect "both regions" 'eu-west-1'
check "service list" os service list -f value -c Type
expect "compute is a service" 'compute'
check "endpoint list" os endpoint list --service compute --interface public -f value -c Region -c URL
expect "the compute endpoint of eu-west-0" 'eu-west-0 .*/ecs/v2\.1/'
check "domain show default" os domain show default -f value -c name
expect "default is the account" '^demo$'
check "ec2 credentials create" os ec2 credentials create --project eu-west-0 --project-domain demo -f value -c access
EC2_ACCESS="$OUT"
check "ec2 credentials list" os ec2 credentials list -f value -c Access
expect "the EC2 credential is listed" "$EC2_ACCESS"
check "ec2 credentials delete" os ec2 credentials delete "$EC2_ACCESS"
check "credential list" os credential list -f value -c ID -c Type
expect "the bootstrap AK is listed" 'ec2'
check "admin sees the operator account" adm domain list -f value -c Name
expect "domain list" 'operator'
check "user delete" os user delete "$NEW_USER"
check "deleted user is gone" bash -c "! openstack --os-cloud local-demo user show '$NEW_USER'"
check "token revoke" bash -c "T=\$(openstack --os-cloud local-demo token issue -f value -c id) && openstack --os-cloud local-demo token revoke \"\$T\""
check "a user to keep across a restart" os user create --domain demo --password 'Keep-pass-1234' "keep-$$" -f value -c id
KEEP_ID="$OUT"
# What the Durable Objects and R2 hold must survive a restart too: a network (TenantDO) and an object (BucketDO, R2).
OBS_URL="$(ready_url 'OBS (S3 endpoint)')"
export AWS_CONFIG_FILE="$FE_DATA_DIR/aws/config" AWS_SHARED_CREDENTIALS_FILE="$FE_DATA_DIR/aws/credentials" AWS_PAGER=''
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
s3api() { /usr/bin/aws --profile demo --endpoint-url "$OBS_URL" s3api "$@"; }
head -c 5000 /dev/urandom >"$E2E_DIR/keep.bin"
check "a network to keep across a restart" os network create "keep-net-$$" -f value -c id
KEEP_NET="$OUT"
check "a bucket to keep across a restart" s3api create-bucket --bucket "keep-$$"
check "an object to keep across a restart" s3api put-object --bucket "keep-$$" --key kept --body "$E2E_DIR/keep.bin"
# Not inside `check`: that runs in a subshell, which would keep the new cloud's pid from the exit trap.
restart_cloud
check "the cloud answers after a restart on the same state" curl -sf "http://127.0.0.1:$E2E_PORT/healthz"
check "token issue after restart (same passwords and keys)" os token issue -f value -c id
check "the user is still there" os user show "keep-$$" -f value -c id
expect "same id after restart" "$KEEP_ID"
check "the network is still there" os network show "keep-net-$$" -f value -c id
expect "same network id after restart" "$KEEP_NET"
check "the object is still there, byte for byte" s3api get-object --bucket "keep-$$" --key kept "$E2E_DIR/kept.bin"
check "the object's bytes are the ones put" cmp "$E2E_DIR/keep.bin" "$E2E_DIR/kept.bin"
check "the AK/SK file is unchanged by a restart" grep -q "aws_access_key_id" "$FE_DATA_DIR/aws-credentials"
finish
