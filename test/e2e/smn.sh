#!/usr/bin/env bash
# SMN against `npm start` with a token from the unmodified `openstack` CLI and plain curl: a topic, a local webhook
# (test/e2e/smn-receiver.py) subscribed, its confirmation received and its subscribe_url visited, a message published
# and received signed; the signature checked with openssl against the key served at signing_cert_url.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

BASE="http://127.0.0.1:$E2E_PORT"
HOOK_PORT=$((E2E_PORT + 7))
HOOK_LOG="$E2E_DIR/hook.jsonl"
: >"$HOOK_LOG"
python3 test/e2e/smn-receiver.py "$HOOK_PORT" "$HOOK_LOG" &
HOOK_PID=$!
trap 'kill "$HOOK_PID" 2>/dev/null; stop_cloud' EXIT

DEMO="$(openstack --os-cloud local-demo token issue -f value -c id)"
PROJECT="$(openstack --os-cloud local-demo token issue -f value -c project_id)"
SMN="$BASE/smn/v2/$PROJECT/notifications"
api() { curl -sS -f -H "X-Auth-Token: $DEMO" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# wait_for TYPE: waits until the receiver has a message of the type; prints the newest one's body.
wait_for() {
  for _ in $(seq 1 100); do
    if grep -q "\"type\": \"$1\"" "$HOOK_LOG"; then
      grep "\"type\": \"$1\"" "$HOOK_LOG" | tail -1 | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["body"]))'
      return 0
    fi
    sleep 0.1
  done
  echo "no $1 message arrived"; cat "$HOOK_LOG"; return 1
}

# verify BODY: rebuilds SMN's string to sign and checks the signature with openssl against the served public key.
verify() {
  local body="$1"
  echo "$body" | python3 -c '
import base64, json, sys
m = json.load(sys.stdin)
fields = {"SubscriptionConfirmation": ["message", "message_id", "subscribe_url", "timestamp", "topic_urn", "type"],
          "Notification": ["message", "message_id", "subject", "timestamp", "topic_urn", "type"]}[m["type"]]
text = "".join(f"{k}\n{m[k]}\n" for k in sorted(fields) if m.get(k))
open(sys.argv[1], "w").write(text)
open(sys.argv[2], "wb").write(base64.b64decode(m["signature"]))
print(m["signing_cert_url"])' "$E2E_DIR/signed.txt" "$E2E_DIR/signature.bin" >"$E2E_DIR/cert-url" || return 1
  curl -sS -f -o "$E2E_DIR/key.pem" "$(cat "$E2E_DIR/cert-url")" || return 1
  openssl dgst -sha256 -verify "$E2E_DIR/key.pem" -signature "$E2E_DIR/signature.bin" "$E2E_DIR/signed.txt"
}

check "the catalog lists SMN" openstack --os-cloud local-demo catalog show smn
expect "its endpoint" "/smn/v2/$PROJECT"
check "create a topic" api -X POST "$SMN/topics" -d '{"name":"e2e_alerts","display_name":"E2E alerts"}'
expect "its URN" "\"topic_urn\":\"urn:smn:eu-west-0:$PROJECT:e2e_alerts\""
URN="urn:smn:eu-west-0:$PROJECT:e2e_alerts"
check "list topics by name" api "$SMN/topics?fuzzy_name=e2e"
expect "the topic" '"topic_count":1'
check "subscribe the local webhook" api -X POST "$SMN/topics/$URN/subscriptions" \
  -d "{\"protocol\":\"http\",\"endpoint\":\"http://127.0.0.1:$HOOK_PORT/smn\",\"remark\":\"e2e\"}"
expect "a subscription URN" "\"subscription_urn\":\"$URN:[0-9a-f]{32}\""
check "the webhook gets its confirmation request" wait_for SubscriptionConfirmation
CONFIRM="$OUT"
check "the confirmation's signature verifies" verify "$CONFIRM"
expect "openssl says so" 'Verified OK'
check "the subscription is unconfirmed" api "$SMN/topics/$URN/subscriptions"
expect "status 0" '"status":0'
check "visit the subscribe_url" curl -sS -f "$(echo "$CONFIRM" | field '["subscribe_url"]')"
expect "confirmed" '"status":1'
check "publish a message" api -X POST "$SMN/topics/$URN/publish" -d '{"subject":"disk full","message":"/var is at 97%"}'
MESSAGE_ID="$(echo "$OUT" | field '["message_id"]' 2>/dev/null)"
expect "a message id" '"message_id":"[0-9a-f]{32}"'
check "the webhook gets the notification" wait_for Notification
NOTE="$OUT"
expect "the message, with its id" "\"message_id\": \"$MESSAGE_ID\".*\"message\": \"/var is at 97%\""
check "the notification's signature verifies" verify "$NOTE"
expect "openssl says so" 'Verified OK'
refuse "a changed message does not verify" verify "${NOTE//97%/12%}"
expect "openssl says so" 'Verification failure'
refuse "another topic name is refused" api -X POST "$SMN/topics" -d '{"name":"-bad"}'
check "delete the topic" api -X DELETE "$SMN/topics/$URN"
check "it is gone" curl -sS -H "X-Auth-Token: $DEMO" "$SMN/topics/$URN"
expect "SMN's not found" '"code":"SMN.0006"'
finish
