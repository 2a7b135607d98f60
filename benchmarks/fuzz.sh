#!/usr/bin/env bash
# benchmarks/fuzz.sh: the long fuzz run of SIP over WebSocket: SipFuzzIT (arquillian-tests) with 500,000 mutated
# inputs by default, against the EAR on the test server with the demo IMS core (Kamailio) and rtpengine, as
# `bin/gateway test` runs it (offline, in a network namespace of its own with only loopback when run as root).
#
#   benchmarks/fuzz.sh [INPUTS]     build (EAR, provisioned server), then fuzz; prints the result and writes it to
#                                   arquillian-tests/target/fuzz/ and target/fuzz/ (fuzz-report.txt, fuzz-samples.txt)
#
# Environment:
#   FUZZ_SEED         the run's seed (default: from the clock; printed, and a run replays with the same seed)
#   FUZZ_REPLAY       comma-separated input numbers: send only those (with the seed of the run that found them)
#   FUZZ_PACE_MS      how long to wait for an answer before the next input on a connection (default 20)
#   FUZZ_SKIP_BUILD=1 use the EAR and server already built
#   FUZZ_MAVEN_ARGS   extra Maven arguments for the build, split at blanks (e.g. "-o")
# The other fuzz.* keys (fuzz.registered, fuzz.unregistered, fuzz.liveness-every, fuzz.answer-seconds,
# fuzz.max-bytes, fuzz.heap-growth-mb) can be given as -D arguments in FUZZ_TEST_ARGS; fuzz.settle-seconds (default
# here 60: the heap is measured again after that long idle) too.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
inputs=${1:-500000}
seed=${FUZZ_SEED:-$(printf '0x%x' "$(date +%s%N)")}
log() { printf '[fuzz] %s\n' "$*" >&2; }

start=$SECONDS
if [[ ${FUZZ_SKIP_BUILD:-0} != 1 ]]; then
	mvn_args=()
	read -r -a mvn_args <<<"${FUZZ_MAVEN_ARGS:-}"
	log "building (mvn -B -q -DskipTests package${mvn_args[*]:+ ${mvn_args[*]}})"
	(cd "$repo" && mvn -B -q -DskipTests "${mvn_args[@]}" package)
fi
test_args=()
read -r -a test_args <<<"${FUZZ_TEST_ARGS:-}"
mvn_cmd=(mvn -B -o verify -pl arquillian-tests -Dtest=SipFuzzIT -Dsurefire.failIfNoSpecifiedTests=false
	"-Dfuzz.inputs=$inputs" "-Dfuzz.seed=$seed" "-Dfuzz.pace-ms=${FUZZ_PACE_MS:-20}"
	"-Dfuzz.replay=${FUZZ_REPLAY:-}" -Dfuzz.settle-seconds=60 "${test_args[@]}")
log "fuzzing: $inputs inputs, seed $seed"
rc=0
cd "$repo"
if ((EUID == 0)) && command -v unshare >/dev/null && unshare --net true 2>/dev/null; then
	unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh "${mvn_cmd[@]}" || rc=$?
else
	log "WARNING: not root (or no unshare): running without a network namespace"
	"${mvn_cmd[@]}" || rc=$?
fi
report=$repo/arquillian-tests/target/fuzz
if [[ -f $report/fuzz-report.txt ]]; then
	mkdir -p "$repo/target/fuzz"
	cp "$report"/fuzz-*.txt "$repo/target/fuzz/"
	cat "$report/fuzz-report.txt"
else
	log "no report (see arquillian-tests/target/surefire-reports/)"
fi
log "done in $((SECONDS - start)) s (exit $rc)"
exit $rc
