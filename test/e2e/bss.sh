#!/usr/bin/env bash
# Billing against `npm start` with tokens from the unmodified `openstack` CLI and plain curl: the operator closes
# a month for the demo account, the account reads its invoice and downloads the PDF, which poppler (Debian's
# pdftoppm and pdftotext) renders as an image and reads back; usage as CSV; a price revision and its notice.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
start_cloud || exit 1

BASE="http://127.0.0.1:$E2E_PORT"
ADMIN="$(openstack --os-cloud local-admin token issue -f value -c id)"
DEMO="$(openstack --os-cloud local-demo token issue -f value -c id)"
DOMAIN="$(openstack --os-cloud local-admin domain show demo -f value -c id)"
api() { local token="$1"; shift; curl -sS -f -H "X-Auth-Token: $token" -H 'Content-Type: application/json' "$@"; }

check "the operator closes a month for demo" api "$ADMIN" -X POST "$BASE/bss/v2/invoices/close" -d "{\"domain_id\":\"$DOMAIN\",\"month\":\"2025-01\"}"
expect "the invoice" '"month":"2025-01"'
check "demo lists its invoices" api "$DEMO" "$BASE/bss/v2/invoices"
expect "the closed month" '"status":"closed"'
check "demo downloads the PDF" api "$DEMO" -o "$E2E_DIR/invoice.pdf" "$BASE/bss/v2/invoices/2025-01/pdf"
check "the PDF is a PDF" head -c 5 "$E2E_DIR/invoice.pdf"
expect "PDF magic" '^%PDF-'
check "poppler reads its text" pdftotext "$E2E_DIR/invoice.pdf" -
expect "the title and total" 'Invoice for 2025-01'
check "poppler renders it as an image" pdftoppm -png -r 60 -singlefile "$E2E_DIR/invoice.pdf" "$E2E_DIR/invoice"
# A rendered A4 page at 60 dpi is about 496 x 702 pixels; a blank one compresses to almost nothing.
check "the image is a page with ink on it" python3 -c "
import struct, sys, zlib
data = open('$E2E_DIR/invoice.png', 'rb').read()
w, h = struct.unpack('>II', data[16:24])
assert w in (496, 497) and h == 702, (w, h)
assert len(data) > 8000, len(data)
print(w, h, len(data))"
[ -n "${E2E_KEEP:-}" ] && cp "$E2E_DIR/invoice.png" "$E2E_KEEP"
check "the verification reproduces it" api "$DEMO" "$BASE/bss/v2/invoices/2025-01/verification"
expect "reproduced" '"reproduced":true'
check "usage as CSV" api "$DEMO" "$BASE/bss/v2/usage?group_by=service,day&format=csv"
expect "CSV header" '^meter,service,day,quantity,unit'
refuse "a customer cannot publish prices" api "$DEMO" -X POST "$BASE/bss/v2/prices/revisions" -d '{"line_id":"x","unit_price":"1"}'
check "the operator announces an increase 20 days ahead" api "$ADMIN" "$BASE/bss/v2/prices?service=evs&region_id=eu-west-0"
LINE="$(echo "$OUT" | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin)["prices"] if p["product"]=="SATA"][0]["line_id"])')"
WHEN="$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))')"
check "publish" api "$ADMIN" -X POST "$BASE/bss/v2/prices/revisions" -d "{\"line_id\":\"$LINE\",\"unit_price\":\"0.05\",\"effective_from\":\"$WHEN\"}"
expect "an increase" '"kind":"increase"'
check "demo is told" api "$DEMO" "$BASE/bss/v2/price-notices"
expect "the notice" "\"effective_from\":\"$WHEN\""
finish
