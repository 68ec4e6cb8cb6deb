#!/usr/bin/env bash
# The web in a real browser: Debian's Chromium, headless, driven by playwright-core (test/browser/*.ts) against
# `npm start`. Screenshots go to $E2E_SCREENSHOTS (default: a scratch folder, printed), to be looked at.
cd "$(dirname "$0")/../.." || exit 1
. test/e2e/lib.sh
# The demo account's password, set before its first start, for the Console's sign-in.
export FE_DEMO_PASSWORD="Demo-web-$RANDOM-pass"
start_cloud || exit 1

SHOTS="${E2E_SCREENSHOTS:-$E2E_DIR/screenshots}"
# npx: the project's own Node 22 (it runs .ts), not the machine's.
check "the Cloud Store in Chromium" npx --no-install node test/browser/store.ts "http://127.0.0.1:$E2E_PORT" "$SHOTS"
echo "$OUT" | sed 's/^/     /'
check "the Console in Chromium" npx --no-install node test/browser/console.ts "http://127.0.0.1:$E2E_PORT" "$SHOTS" "$FE_DEMO_PASSWORD"
echo "$OUT" | sed 's/^/     /'
check "the Customer Portal in Chromium" npx --no-install node test/browser/portal.ts "http://127.0.0.1:$E2E_PORT" "$SHOTS" "$FE_DEMO_PASSWORD"
echo "$OUT" | sed 's/^/     /'
echo "     screenshots: $SHOTS"
finish
