#!/usr/bin/env bash
# The unmodified S3 clients (Debian's awscli, s3cmd and rclone) against `npm start`'s OBS endpoint: buckets,
# small and multipart objects, sync of a tree, versions, presigned URLs, V2 signatures, another account's
# keys, and the cloud's memory while 1 GiB goes up and down.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

OBS_URL="$(ready_url 'OBS (S3 endpoint)')"
IAM_URL="$(ready_url 'Identity (v3)')"
BIG_MIB="${OBS_E2E_BIG_MIB:-1024}"
# Debian's aws (a pip-installed one may come first on PATH), with the demo profile the cloud wrote.
export AWS_CONFIG_FILE="$FE_DATA_DIR/aws/config" AWS_SHARED_CREDENTIALS_FILE="$FE_DATA_DIR/aws/credentials"
export AWS_PROFILE=demo AWS_PAGER=''
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
s3() { /usr/bin/aws --endpoint-url "$OBS_URL" s3 "$@"; }
s3api() { /usr/bin/aws --endpoint-url "$OBS_URL" s3api "$@"; }
s3cmd_demo() { s3cmd -c "$FE_DATA_DIR/s3cfg-demo" "$@"; }
same_bytes() { [ "$(sha256sum <"$1")" = "$(sha256sum <"$2")" ]; }
# count_keys BUCKET PREFIX: how many keys start with PREFIX (the CLI's paginator drops KeyCount, so count).
count_keys() { s3api list-objects-v2 --bucket "$1" --prefix "$2" --query 'length(Contents || `[]`)' --output text; }
W="$E2E_DIR/work"
B="e2e-$$-obs"
mkdir -p "$W/tree/sub/deep/deeper" "$W/tree/with space" "$W/tree/ünïcode"
echo "hello, object storage" >"$W/small.txt"
head -c 100000 /dev/urandom >"$W/small.bin"
head -c 64M /dev/urandom >"$W/big64"
echo deep >"$W/tree/sub/deep/deeper/f.txt"
echo spaced >"$W/tree/with space/a b.txt"
echo accents >"$W/tree/ünïcode/naïve café.txt"
echo plus >"$W/tree/plus+sign.txt"
echo percent >"$W/tree/100% done.txt"
head -c 3000 /dev/urandom >"$W/tree/sub/data.bin"

echo "-- aws CLI ($OBS_URL)"
check "s3 mb" s3 mb "s3://$B"
check "s3 ls lists the bucket" s3 ls
expect "the new bucket is listed" " $B\$"
check "s3 cp up a small text file" s3 cp --no-progress "$W/small.txt" "s3://$B/docs/small.txt"
check "s3 cp up a small binary file" s3 cp --no-progress "$W/small.bin" "s3://$B/docs/small.bin"
check "s3 cp down the text file" s3 cp --no-progress "s3://$B/docs/small.txt" "$W/small.txt.down"
check "the text file comes back byte for byte (sha256)" same_bytes "$W/small.txt" "$W/small.txt.down"
check "s3 cp down the binary file" s3 cp --no-progress "s3://$B/docs/small.bin" "$W/small.bin.down"
check "the binary file comes back byte for byte (sha256)" same_bytes "$W/small.bin" "$W/small.bin.down"
check "s3 cp up 64 MiB (multipart: the CLI switches at 8 MiB)" s3 cp --no-progress "$W/big64" "s3://$B/big/64mib"
check "head-object of the 64 MiB object" s3api head-object --bucket "$B" --key big/64mib --query ETag --output text
expect "its ETag is a multipart one of 8 parts" '^"[0-9a-f]{32}-8"$'
check "s3 cp down 64 MiB (ranged GETs in parallel)" s3 cp --no-progress "s3://$B/big/64mib" "$W/big64.down"
check "64 MiB come back byte for byte (sha256)" same_bytes "$W/big64" "$W/big64.down"
check "head-object" s3api head-object --bucket "$B" --key docs/small.txt --query '[ContentLength,ETag]' --output text
expect "head-object gives the length and the MD5 ETag" "^$(stat -c %s "$W/small.txt")\s+\"$(md5sum <"$W/small.txt" | cut -d' ' -f1)\"\$"
check "get-bucket-request-payment (a setting it does not offer, read as unconfigured)" s3api get-bucket-request-payment --bucket "$B" --output text
expect "the bucket owner pays" '^BucketOwner$'
refuse "get-bucket-encryption of a bucket without one" s3api get-bucket-encryption --bucket "$B"
expect "the error is S3's" 'ServerSideEncryptionConfigurationNotFoundError'
check "s3 ls of the bucket root" s3 ls "s3://$B/"
expect "s3 ls shows common prefixes" 'PRE docs/'
expect "s3 ls groups every top-level prefix" 'PRE big/'
check "s3 ls --recursive" s3 ls --recursive "s3://$B/"
expect "s3 ls --recursive lists full keys" 'docs/small\.bin'

check "s3 sync up a tree (nested, unicode, spaces, + and %)" s3 sync --no-progress "$W/tree" "s3://$B/tree/"
check "s3 ls --recursive of the synced tree" s3 ls --recursive "s3://$B/tree/"
expect "the nested key is listed" 'tree/sub/deep/deeper/f\.txt$'
expect "the unicode key is listed exactly" 'tree/ünïcode/naïve café\.txt$'
expect "the spaced key is listed exactly" 'tree/with space/a b\.txt$'
expect "the + key is listed exactly" 'tree/plus\+sign\.txt$'
expect "the % key is listed exactly" 'tree/100% done\.txt$'
check "s3 sync up again" s3 sync --no-progress "$W/tree" "s3://$B/tree/"
expect "a second sync uploads nothing" '^$'
check "s3 sync down the tree" s3 sync --no-progress "s3://$B/tree/" "$W/tree.down"
check "the tree comes back identical" diff -r "$W/tree" "$W/tree.down"
check "s3 rm --recursive" s3 rm --recursive "s3://$B/tree/"
check "list after rm --recursive" count_keys "$B" tree/
expect "nothing is left under the prefix" '^0$'

check "a key with .. segments is sent raw" s3 cp --no-progress "$W/small.bin" "s3://$B/dir/../x"
check "list-objects-v2 of the .. key" s3api list-objects-v2 --bucket "$B" --prefix dir/ --query 'Contents[].Key' --output text
expect "it is stored and listed exactly as dir/../x" '^dir/\.\./x$'
check "list-objects-v2 --prefix x" count_keys "$B" x
expect "no key x was made by folding the path" '^0$'
check "get-object of dir/../x" s3api get-object --bucket "$B" --key dir/../x "$W/dotdot.down"
check "dir/../x has the bytes put there" same_bytes "$W/small.bin" "$W/dotdot.down"

check "presign a GET" s3 presign "s3://$B/docs/small.bin" --expires-in 300
URL="$OUT"
check "curl fetches the presigned URL" curl -sSf -o "$W/presigned.down" "$URL"
check "the presigned GET gives the object's bytes" same_bytes "$W/small.bin" "$W/presigned.down"
check "presign a GET that expires in 1 s" s3 presign "s3://$B/docs/small.bin" --expires-in 1
URL="$OUT"
sleep 2
check "curl of the expired URL" curl -s -w '\nstatus %{http_code}' "$URL"
expect "an expired presigned URL is refused with 403" 'status 403$'
expect "the refusal is AccessDenied" '<Code>AccessDenied</Code>'
check "curl without a signature" curl -s -w '\nstatus %{http_code}' "$OBS_URL/$B/docs/small.bin"
expect "an anonymous GET of a private object is refused with 403" 'status 403$'
check "s3 cp --grants opens one object to everyone" s3 cp --no-progress "$W/small.txt" "s3://$B/docs/public.txt" --grants read=uri=http://acs.amazonaws.com/groups/global/AllUsers
check "curl without a signature reads the granted object" curl -sSf -o "$W/public.down" "$OBS_URL/$B/docs/public.txt"
check "its bytes are the ones put" same_bytes "$W/small.txt" "$W/public.down"

for k in del/a del/b "del/c d"; do s3api put-object --bucket "$B" --key "$k" --body "$W/small.txt" >/dev/null; done
check "delete-objects" s3api delete-objects --bucket "$B" --delete '{"Objects":[{"Key":"del/a"},{"Key":"del/b"},{"Key":"del/c d"}]}' --query 'length(Deleted)' --output text
expect "three keys deleted" '^3$'
check "list after delete-objects" count_keys "$B" del/
expect "none of them is left" '^0$'

V="$B-versions"
check "s3 mb (versioned bucket)" s3 mb "s3://$V"
check "put-bucket-versioning Enabled" s3api put-bucket-versioning --bucket "$V" --versioning-configuration Status=Enabled
check "get-bucket-versioning" s3api get-bucket-versioning --bucket "$V" --query Status --output text
expect "versioning is Enabled" '^Enabled$'
echo "version one" >"$W/v1.txt"
echo "version two" >"$W/v2.txt"
check "put version one" s3api put-object --bucket "$V" --key doc.txt --body "$W/v1.txt" --query VersionId --output text
V1="$OUT"
check "put version two" s3api put-object --bucket "$V" --key doc.txt --body "$W/v2.txt" --query VersionId --output text
V2="$OUT"
check "the two versions have distinct ids" test -n "$V1" -a "$V1" != None -a "$V1" != "$V2"
check "list-object-versions" s3api list-object-versions --bucket "$V" --prefix doc.txt --query 'Versions[].[VersionId,IsLatest]' --output text
expect "version one is listed, not latest" "^$V1\s+False\$"
expect "version two is listed, latest" "^$V2\s+True\$"
check "get-object --version-id (version one)" s3api get-object --bucket "$V" --key doc.txt --version-id "$V1" "$W/v1.down"
check "the old version has its own bytes" same_bytes "$W/v1.txt" "$W/v1.down"
check "get-object (latest)" s3api get-object --bucket "$V" --key doc.txt "$W/v2.down"
check "the latest version has the new bytes" same_bytes "$W/v2.txt" "$W/v2.down"
check "delete-object puts a delete marker" s3api delete-object --bucket "$V" --key doc.txt --query VersionId --output text
MARKER="$OUT"
refuse "get-object after the delete marker" s3api get-object --bucket "$V" --key doc.txt "$W/gone.down"
expect "the key is gone (NoSuchKey)" 'NoSuchKey'
check "list-object-versions shows the marker" s3api list-object-versions --bucket "$V" --prefix doc.txt --query 'DeleteMarkers[].[VersionId,IsLatest]' --output text
expect "the delete marker is the latest" "^$MARKER\s+True\$"
check "an old version still reads behind the marker" s3api get-object --bucket "$V" --key doc.txt --version-id "$V1" "$W/v1.again"
refuse "s3 rb of a bucket that still has versions" s3 rb "s3://$V"
expect "BucketNotEmpty" 'BucketNotEmpty'
check "delete-objects of every version and the marker" s3api delete-objects --bucket "$V" --delete "{\"Objects\":[{\"Key\":\"doc.txt\",\"VersionId\":\"$V1\"},{\"Key\":\"doc.txt\",\"VersionId\":\"$V2\"},{\"Key\":\"doc.txt\",\"VersionId\":\"$MARKER\"}]}" --query 'length(Deleted)' --output text
expect "three versions deleted" '^3$'
check "s3 rb (versioned bucket, now empty)" s3 rb "s3://$V"

echo "-- s3cmd"
C="$B-cmd"
check "s3cmd mb" s3cmd_demo mb "s3://$C"
check "s3cmd put" s3cmd_demo put "$W/small.bin" "s3://$C/cmd/small.bin"
check "s3cmd put of a second object" s3cmd_demo put "$W/tree/sub/data.bin" "s3://$C/cmd/data.bin"
check "s3cmd get" s3cmd_demo get --force "s3://$C/cmd/small.bin" "$W/cmd.down"
check "s3cmd get gives the bytes back (sha256)" same_bytes "$W/small.bin" "$W/cmd.down"
check "s3cmd ls" s3cmd_demo ls "s3://$C/cmd/"
expect "s3cmd ls shows the object and its size" "100000 +s3://$C/cmd/small\.bin"
check "s3cmd la" s3cmd_demo la
expect "s3cmd la lists every bucket's objects" "s3://$C/cmd/"
check "s3cmd put --signature-v2" s3cmd_demo --signature-v2 put "$W/small.txt" "s3://$C/v2/small.txt"
check "s3cmd get --signature-v2" s3cmd_demo --signature-v2 get --force "s3://$C/v2/small.txt" "$W/v2sig.down"
check "the V2-signed round trip keeps the bytes" same_bytes "$W/small.txt" "$W/v2sig.down"
check "s3cmd signurl" s3cmd_demo signurl "s3://$C/cmd/small.bin" +300
URL="$OUT"
check "curl fetches the V2 signed URL" curl -sSf -o "$W/signurl.down" "$URL"
check "the signed URL gives the object's bytes" same_bytes "$W/small.bin" "$W/signurl.down"
check "s3cmd del" s3cmd_demo del "s3://$C/cmd/small.bin" "s3://$C/cmd/data.bin" "s3://$C/v2/small.txt"
check "s3cmd ls after del" s3cmd_demo ls --recursive "s3://$C"
expect "the bucket is empty" '^$'
check "s3cmd rb" s3cmd_demo rb "s3://$C"

echo "-- another account's keys"
adm() { openstack --os-cloud local-admin "$@"; }
OTHER="e2e-other-$$"
OTHER_PASSWORD='Other-pass-1234'
check "the operator creates another account" adm domain create "$OTHER" -f value -c id
check "a user in it" adm user create --domain "$OTHER" --password "$OTHER_PASSWORD" "$OTHER" -f value -c id
OTHER_ID="$OUT"
check "te_admin of that account" adm role add --user "$OTHER" --user-domain "$OTHER" --domain "$OTHER" te_admin
OTHER_TOKEN="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' "$IAM_URL/auth/tokens?nocatalog" -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"$OTHER\",\"domain\":{\"name\":\"$OTHER\"},\"password\":\"$OTHER_PASSWORD\"}}},\"scope\":{\"domain\":{\"name\":\"$OTHER\"}}}}" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-subject-token" {print $2}')"
check "it creates its own AK/SK" curl -sf -H "X-Auth-Token: $OTHER_TOKEN" -H 'Content-Type: application/json' "${IAM_URL%/v3}/v3.0/OS-CREDENTIAL/credentials" -d "{\"credential\":{\"user_id\":\"$OTHER_ID\"}}"
read -r OTHER_AK OTHER_SK < <(echo "$OUT" | python3 -c 'import json,sys; c=json.load(sys.stdin)["credential"]; print(c["access"], c["secret"])' 2>/dev/null)
other() {
  env -u AWS_PROFILE AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=eu-west-0 \
    AWS_ACCESS_KEY_ID="$OTHER_AK" AWS_SECRET_ACCESS_KEY="$OTHER_SK" /usr/bin/aws --endpoint-url "$OBS_URL" "$@"
}
check "the other key works: it lists its own buckets" other s3api list-buckets --query 'Buckets[].Name' --output text
expect "none of the demo's buckets among them" '^$'
refuse "the other account lists the demo's private bucket" other s3 ls "s3://$B/"
expect "AccessDenied" 'AccessDenied'
refuse "the other account reads the demo's object" other s3api get-object --bucket "$B" --key docs/small.bin "$W/stolen"
expect "AccessDenied on the object" 'AccessDenied'
refuse "the other account writes into the demo's bucket" other s3api put-object --bucket "$B" --key intruder --body "$W/small.txt"
expect "AccessDenied on the write" 'AccessDenied'
refuse "the other account deletes the demo's bucket" other s3 rb "s3://$B"
expect "AccessDenied on the bucket" 'AccessDenied'

if command -v rclone >/dev/null 2>&1; then
  echo "-- rclone"
  # rclone refuses to start while AWS_CA_BUNDLE is set.
  rc() { env -u AWS_CA_BUNDLE -u AWS_PROFILE -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE rclone --config "$FE_DATA_DIR/rclone.conf" "$@"; }
  R="$B-rclone"
  check "rclone mkdir" rc mkdir "demo:$R"
  check "rclone copy up the tree" rc copy "$W/tree" "demo:$R/tree"
  check "rclone lsf -R" rc lsf -R "demo:$R"
  expect "the unicode key is listed" 'tree/ünïcode/naïve café\.txt'
  expect "the + key is listed" 'tree/plus\+sign\.txt'
  check "rclone check (sizes and MD5 against the ETags)" rc check "$W/tree" "demo:$R/tree"
  expect "no differences" '0 differences found'
  check "rclone copy down" rc copy "demo:$R/tree" "$W/tree.rclone"
  check "the tree comes back identical" diff -r "$W/tree" "$W/tree.rclone"
  check "rclone purge" rc purge "demo:$R"
else
  echo "-- rclone: not installed, skipped"
fi

echo "-- Object Lock, public access block, ownership controls"
L="$B-lock"
UNTIL="$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)"
check "create-bucket --object-lock-enabled-for-bucket" s3api create-bucket --bucket "$L" --object-lock-enabled-for-bucket
check "put-object-lock-configuration (GOVERNANCE, 1 day)" s3api put-object-lock-configuration --bucket "$L" \
  --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}'
check "get-object-lock-configuration" s3api get-object-lock-configuration --bucket "$L" --output text
expect "the default retention is kept" 'GOVERNANCE'
refuse "versioning cannot be suspended on a lock bucket" s3api put-bucket-versioning --bucket "$L" --versioning-configuration Status=Suspended
expect "InvalidBucketState" 'InvalidBucketState'
check "put-object into the lock bucket" s3api put-object --bucket "$L" --key locked --body "$W/small.txt" --query VersionId --output text
LOCKED_V="$OUT"
check "get-object-retention" s3api get-object-retention --bucket "$L" --key locked --version-id "$LOCKED_V" --output text
expect "the version got the default retention" 'GOVERNANCE'
refuse "delete-object of the locked version" s3api delete-object --bucket "$L" --key locked --version-id "$LOCKED_V"
expect "AccessDenied" 'AccessDenied'
check "put-object-legal-hold ON" s3api put-object-legal-hold --bucket "$L" --key locked --version-id "$LOCKED_V" --legal-hold Status=ON
check "get-object-legal-hold" s3api get-object-legal-hold --bucket "$L" --key locked --version-id "$LOCKED_V" --output text
expect "the hold is ON" 'ON'
refuse "a bypass does not lift a legal hold" s3api delete-object --bucket "$L" --key locked --version-id "$LOCKED_V" --bypass-governance-retention
check "put-object-legal-hold OFF" s3api put-object-legal-hold --bucket "$L" --key locked --version-id "$LOCKED_V" --legal-hold Status=OFF
check "put-object-retention pushes the date out" s3api put-object-retention --bucket "$L" --key locked --version-id "$LOCKED_V" \
  --retention "{\"Mode\":\"GOVERNANCE\",\"RetainUntilDate\":\"$UNTIL\"}"
check "delete-object --bypass-governance-retention" s3api delete-object --bucket "$L" --key locked --version-id "$LOCKED_V" --bypass-governance-retention
check "put-public-access-block" s3api put-public-access-block --bucket "$L" \
  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
check "get-public-access-block" s3api get-public-access-block --bucket "$L" --output text
expect "the four switches are on" 'True\s+True\s+True\s+True'
refuse "a public-read object while BlockPublicAcls is on" s3api put-object --bucket "$L" --key open --body "$W/small.txt" --acl public-read
expect "AccessDenied" 'AccessDenied'
refuse "a public bucket policy while BlockPublicPolicy is on" s3api put-bucket-policy --bucket "$L" \
  --policy "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$L/*\"}]}"
check "delete-public-access-block" s3api delete-public-access-block --bucket "$L"
check "a public bucket policy once the block is gone" s3api put-bucket-policy --bucket "$L" \
  --policy "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$L/*\"}]}"
check "get-bucket-policy-status" s3api get-bucket-policy-status --bucket "$L" --output text
expect "the policy is public" 'True'
check "put-bucket-ownership-controls BucketOwnerEnforced" s3api put-bucket-ownership-controls --bucket "$L" \
  --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
check "get-bucket-ownership-controls" s3api get-bucket-ownership-controls --bucket "$L" --output text
expect "BucketOwnerEnforced" 'BucketOwnerEnforced'
check "put-object under BucketOwnerEnforced" s3api put-object --bucket "$L" --key owned --body "$W/small.txt"
refuse "an object ACL under BucketOwnerEnforced" s3api put-object-acl --bucket "$L" --key owned --acl public-read
expect "AccessControlListNotSupported" 'AccessControlListNotSupported'
check "delete-objects --bypass-governance-retention empties it" s3api delete-objects --bucket "$L" --bypass-governance-retention --delete "$(s3api list-object-versions --bucket "$L" \
  --query '{Objects: [Versions[] || `[]`, DeleteMarkers[] || `[]`][] | [].{Key: Key, VersionId: VersionId}}' --output json)"
check "the lock bucket, emptied, is removed" s3api delete-bucket --bucket "$L"

echo "-- memory while $BIG_MIB MiB go up and down through aws s3 cp"
# workerd (with the local R2 under it) takes a one-time ~200 MiB the first time it moves a few hundred MiB, then
# stays there: a warm-up of the same shape (multipart, 10 parts in flight) comes first, and the check is on the
# growth past it, which a body held whole or a leak per part would show.
head -c "${BIG_MIB}M" /dev/urandom >"$W/huge"
COLD="$(cloud_rss_kib)"
head -c 256M "$W/huge" >"$W/warm-up"
check "warm-up: s3 cp up 256 MiB" s3 cp --no-progress "$W/warm-up" "s3://$B/warm-up"
rm -f "$W/warm-up"
BASE="$(cloud_rss_kib)"
(while :; do cloud_rss_kib; sleep 0.5; done) >"$W/rss.log" &
SAMPLER=$!
STARTED=$SECONDS
check "s3 cp up $BIG_MIB MiB" s3 cp --no-progress "$W/huge" "s3://$B/huge"
UP=$((SECONDS - STARTED))
check "s3 cp down $BIG_MIB MiB" s3 cp --no-progress "s3://$B/huge" "$W/huge.down"
kill "$SAMPLER" 2>/dev/null
wait "$SAMPLER" 2>/dev/null
check "$BIG_MIB MiB come back byte for byte (sha256)" same_bytes "$W/huge" "$W/huge.down"
rm -f "$W/huge" "$W/huge.down"
PEAK="$(sort -n "$W/rss.log" | tail -1)"
read -r COLD_T _ _ <<<"$COLD"
read -r BASE_T BASE_W BASE_N <<<"$BASE"
read -r PEAK_T PEAK_W PEAK_N <<<"${PEAK:-$BASE}"
mib() { echo $(($1 / 1024)); }
echo "     cloud RSS (npm start's processes): $(mib "$COLD_T") MiB before the warm-up, $(mib "$BASE_T") MiB after it (workerd $(mib "$BASE_W"), node $(mib "$BASE_N")); peak $(mib "$PEAK_T") MiB (workerd $(mib "$PEAK_W"), node $(mib "$PEAK_N")); up ${UP}s, down $((SECONDS - STARTED - UP))s"
check "memory stays flat: under 200 MiB over the warmed-up baseline" test $((PEAK_T - BASE_T)) -lt $((200 * 1024))

refuse "s3 rb of a non-empty bucket" s3 rb "s3://$B"
expect "BucketNotEmpty" 'BucketNotEmpty'
check "s3 rm --recursive of the rest" s3 rm --recursive "s3://$B/"
check "s3 rb" s3 rb "s3://$B"
check "s3 ls after rb" s3 ls
expect "no bucket is left" '^$'
finish
