#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317 # pass never fails; cleanup runs from the trap
# Self-test of the demo IMS core (kamailio.cfg): starts it on 127.0.0.1:$IMS_SELFTEST_PORT (default 5170, so a
# running `bin/gateway run` on 5070 is not disturbed) in a temporary run dir, drives it with SIPp scenarios from
# test-scenarios/, stops everything it started. Exit code 0 when every check passed.
# Needs: kamailio, kamcmd, sipp. Uses UDP/TCP ports PORT, 5190-5199 and SIPp control ports 8970-8989.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sc=$here/test-scenarios
port=${IMS_SELFTEST_PORT:-5170}
run=$(mktemp -d "${TMPDIR:-/tmp}/ims-core-selftest.XXXXXX")
ctl="unix:$run/kamailio_ctl"
path_port=5190 phone_port=5191
kam_pid='' bg_pids=() failures=0 cport=8970

cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [[ -n $kam_pid ]]; then
		kill "$kam_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$kam_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$kam_pid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	if [[ ${KEEP_RUN_DIR:-} == 1 || $failures -gt 0 ]]; then echo "run dir kept: $run"; else rm -rf "$run"; fi
}
trap cleanup EXIT

pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# sipp_run NAME SCENARIO LOCAL_PORT [ARGS...]: one SIPp run in the foreground; logs in $run/NAME.*
sipp_run() {
	local name=$1 scen=$2 lport=$3; shift 3
	cport=$((cport + 1))
	timeout 30 sipp -sf "$scen" -i 127.0.0.1 -bind_local -p "$lport" -ci 127.0.0.1 -cp "$cport" -nostdin -recv_timeout 5000 -timeout 25 \
		-trace_logs -log_file "$run/$name.log" -trace_err -error_file "$run/$name.err" "$@" \
		>"$run/$name.out" 2>&1
}

# uas_bg NAME SCENARIO LOCAL_PORT COUNT: a SIPp UAS in the background
uas_bg() {
	local name=$1 scen=$2 lport=$3 count=$4
	cport=$((cport + 1))
	timeout 60 sipp -sf "$scen" -i 127.0.0.1 -bind_local -p "$lport" -ci 127.0.0.1 -cp "$cport" -m "$count" -nostdin \
		-trace_logs -log_file "$run/$name.log" -trace_err -error_file "$run/$name.err" >"$run/$name.out" 2>&1 &
	bg_pids+=($!)
	sleep 0.3
}

register() { # NAME SCENARIO PRIVATE PASSWORD USER EXPIRES [ARGS...]
	local name=$1 scen=$2 priv=$3 pw=$4 user=$5 exp=$6; shift 6
	sipp_run "$name" "$scen" 5192 127.0.0.1:"$port" -m 1 -au "$priv" -ap "$pw" -key user "$user" \
		-key path "sip:pcscf@127.0.0.1:$path_port;lr" -key expires "$exp" "$@"
}

options() { # NAME RURI EXPECT [ARGS...]  (expect: a code or any)
	local name=$1 ruri=$2 expect=$3; shift 3
	sipp_run "$name" "${OPTIONS_SCENARIO:-$sc/options-uac.xml}" 5193 127.0.0.1:"$port" -m 1 -key ruri "$ruri" \
		-key from sip:selftest@ims.example.test -set expect "$expect" "$@"
}

final_of() { sed -n 's/^FINAL \([0-9]*\) .*/\1/p' "$run/$1.log" 2>/dev/null | tail -1; }

# ---- start the IMS core -----------------------------------------------------------------------------------
kamailio -f "$here/kamailio.cfg" -DD -E -Y "$run" -P "$run/kamailio.pid" -w "$run" -m 64 -M 8 \
	-A IMS_PORT="$port" -A "IMS_CTL=\"$ctl\"" -A IMS_TRACE >"$run/kamailio.log" 2>&1 &
kam_pid=$!
for _ in $(seq 50); do kamcmd -s "$ctl" core.uptime >/dev/null 2>&1 && break; sleep 0.1; done
kamcmd -s "$ctl" core.uptime >/dev/null 2>&1 || { fail "kamailio did not start"; cat "$run/kamailio.log"; exit 1; }
pass "kamailio up on 127.0.0.1:$port (udp+tcp), ctl $ctl"

# variants made on the fly: REGISTER with a pre-loaded Route to the core (as the gateway sends it), and
# with an IMS-style initial Authorization (empty response); OPTIONS with the Service-Route "orig" Route.
sed "s|^      Max-Forwards: 70|      Route: <sip:127.0.0.1:$port;lr>\n      Max-Forwards: 70|" "$sc/register.xml" >"$run/register-route.xml"
sed "0,/^      Supported: path/s||      Supported: path\n      Authorization: Digest username=\"[user]@ims.example.test\", realm=\"ims.example.test\", uri=\"sip:ims.example.test\", nonce=\"\", response=\"\"|" \
	"$sc/register.xml" >"$run/register-ims.xml"
sed "s|^      Max-Forwards: 70|      Route: <sip:orig@127.0.0.1:$port;lr>\n      Max-Forwards: 70|" "$sc/options-uac.xml" >"$run/options-orig.xml"

# ---- REGISTER -------------------------------------------------------------------------------------------------
if register reg-alice "$run/register-route.xml" alice@ims.example.test alice-demo-secret alice 600 \
	&& grep -q "Service-Route:<sip:orig@127.0.0.1:$port;lr>" <(tr -d ' ' <"$run/reg-alice.log") \
	&& grep -q "P-Associated-URI:<sip:alice@ims.example.test>" <(tr -d ' ' <"$run/reg-alice.log"); then
	pass "REGISTER alice (digest, Path, Route to core): 200 with P-Associated-URI, Service-Route, Path"
else fail "REGISTER alice"; fi

dump=$(kamcmd -s "$ctl" ul.dump)
if grep -q "Path: <sip:pcscf@127.0.0.1:$path_port;lr>" <<<"$dump"; then pass "ul.dump shows alice's Path"
else fail "ul.dump has no Path: $dump"; fi

if register reg-bob-ims "$run/register-ims.xml" bob@ims.example.test bob-demo-secret bob 600; then
	pass "REGISTER bob with IMS-style initial Authorization (empty response): 401 then 200"
else fail "REGISTER bob (IMS initial Authorization)"; fi

register reg-wrongpw "$sc/register-403.xml" alice@ims.example.test not-the-password alice 600 \
	&& pass "wrong password: 403" || fail "wrong password not refused with 403"
register reg-mismatch "$sc/register-403.xml" alice@ims.example.test alice-demo-secret bob 600 \
	&& pass "alice's credentials for To bob: 403" || fail "identity mismatch not refused with 403"
register reg-unknown "$sc/register-403.xml" carol@ims.example.test whatever carol 600 \
	&& pass "unknown private identity: 403" || fail "unknown subscriber not refused with 403"
register reg-bench "$sc/register.xml" bench77@ims.example.test bench-secret bench77 600 \
	&& pass "bench77 with bench-secret: 200" || fail "bench subscriber"

# ---- requests toward registered users go along the Path ---------------------------------------------------------
uas_bg path-uas "$sc/uas-any-request.xml" "$path_port" 3
options opt-alice sip:alice@ims.example.test 200 \
	&& pass "OPTIONS sip:alice@ims.example.test: 200 from the Path address" || fail "OPTIONS to alice"
sipp_run msg-alice "$sc/message-uac.xml" 5194 127.0.0.1:"$port" -t t1 -m 1 -key ruri sip:alice@ims.example.test \
	-key from sip:bob@ims.example.test -key text "hello over TCP" -set expect 200 \
	&& pass "MESSAGE over TCP to alice: 200" || fail "MESSAGE to alice"
OPTIONS_SCENARIO=$run/options-orig.xml options opt-orig sip:alice@ims.example.test 200 \
	&& pass "OPTIONS with Route <sip:orig@...;lr> (Service-Route) to alice: 200" || fail "OPTIONS via orig Route"
sleep 0.3
received=$(grep -c "Route:<sip:pcscf@127.0.0.1:$path_port;lr>" <(tr -d ' ' <"$run/path-uas.log") || true)
if [[ $received == 3 ]]; then pass "path UAS got 3 requests, each with Route <sip:pcscf@127.0.0.1:$path_port;lr>"
else fail "path UAS saw $received requests with the Path as Route"; cat "$run/path-uas.log" 2>/dev/null || true; fi

# ---- not registered / not live ---------------------------------------------------------------------------------
options opt-nobody sip:nobody@ims.example.test 404 && pass "OPTIONS to an unregistered user: 404" || fail "unregistered user: $(final_of opt-nobody)"
register reg-bob-short "$sc/register.xml" bob@ims.example.test bob-demo-secret bob 1
sleep 1.3
options opt-expired sip:bob@ims.example.test any || true
case $(final_of opt-expired) in
	480) pass "OPTIONS to bob whose binding just expired: 480" ;;
	404) pass "OPTIONS to bob whose binding just expired: 404 (usrloc timer had already removed the record)" ;;
	*) fail "expired binding: $(final_of opt-expired)" ;;
esac
register reg-alice-off "$sc/register.xml" alice@ims.example.test alice-demo-secret alice 0 \
	&& options opt-alice-off sip:alice@ims.example.test 404 \
	&& pass "alice de-registered (Expires 0), then OPTIONS: 404" || fail "de-registration"

# ---- R-URI elsewhere: relayed as is; INVITE record-routed ------------------------------------------------------------
uas_bg phone-opt "$sc/uas-any-request.xml" "$phone_port" 1
options opt-phone "sip:uas@127.0.0.1:$phone_port" 200 && pass "OPTIONS sip:uas@127.0.0.1:$phone_port relayed: 200" \
	|| fail "relay to a foreign R-URI: $(final_of opt-phone)"
sleep 0.3
uas_bg phone-inv "$sc/uas-invite.xml" "$phone_port" 1
if sipp_run inv-phone "$sc/invite-uac.xml" 5195 127.0.0.1:"$port" -m 1 -key ruri "sip:uas@127.0.0.1:$phone_port" \
	-key from sip:selftest@ims.example.test && grep -q "127.0.0.1:$port;lr" "$run/inv-phone.log"; then
	pass "INVITE record-routed (Record-Route 127.0.0.1:$port), ACK and BYE in dialog through the core"
else fail "INVITE/BYE through the core"; fi

echo
if ((failures == 0)); then echo "all checks passed"; else echo "$failures check(s) failed (kamailio log: $run/kamailio.log)"; fi
exit $((failures > 0))
