#!/usr/bin/env bash
# benchmarks/run.sh: the gateway beside Kamailio on this machine; writes docs/BENCHMARKS.md and docs/benchmarks/.
#
#   benchmarks/run.sh            build (EAR, provisioned server, benchmarks jar), then measure both targets (~25 min):
#                                concurrency, REGISTER and call sweeps, the highest sustained rates held (both targets
#                                alike, nothing recording), then the gateway's JFR profile in a window of its own,
#                                past capacity (1.25x to 2x the sustained rate: goodput, 503 + Retry-After, timeouts),
#                                calls with SDP passed through, and on the gateway calls with policy and charging on
#                                (Rf to the test CDF, Ro to the test OCS of deployment/charging)
#   benchmarks/run.sh --quick    tiny loads and short steps: try the run itself in a few minutes (figures meaningless)
#   benchmarks/run.sh --only gateway|kamailio
#   benchmarks/run.sh --soak MINUTES [--soak-call-rate R] [--soak-register-rate R]
#                                the gateway alone at a steady load (default: half its sustained rates in the last
#                                docs/BENCHMARKS.md, else 100 calls/s and 300 REGISTER/s) for MINUTES, read every 30 s
#                                (heap after full GC, live calls, rtpengine sessions, errors): docs/benchmarks/soak.md
#                                and the Soak section of docs/BENCHMARKS.md; exit 3 when not clean. Not part of CI.
#
# Needs the peers `bin/gateway install` installs (kamailio + websocket modules, rtpengine, sipp, escript) and a JDK 17
# with jcmd. Everything listens on 127.0.0.1 in its own port family (WildFly offset 200: 8280/8643/10190, SIP 5260,
# core 5270, edge 5280/ws 8290, UAS 5290, rtpengine ng 2423, CDF 3968, OCS 3969, RTP 16000-27999), so it runs beside
# `bin/gateway run` and `bin/gateway test`. Every process it starts is stopped at the end, also on Ctrl-C.
#
# Environment:
#   BENCH_SKIP_BUILD=1    use the EAR, server and jar already built
#   BENCH_MAVEN_ARGS      extra Maven arguments for the build, split at blanks (e.g. "-o")
#   BENCH_GATEWAY_JVM_OPTS extra JVM options for the gateway's WildFly (to try a collector or heap setting)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$repo/benchmarks/target/webims-benchmarks.jar

log() { printf '[bench] %s\n' "$*" >&2; }

for tool in java jcmd kamailio kamcmd rtpengine sipp; do
	command -v "$tool" >/dev/null 2>&1 || { log "ERROR: $tool not found (run bin/gateway install)"; exit 1; }
done

start=$SECONDS
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
	mvn_args=()
	read -r -a mvn_args <<<"${BENCH_MAVEN_ARGS:-}"
	log "building (mvn -B -q -DskipTests${mvn_args[*]:+ ${mvn_args[*]}} package -pl ear,deployment,benchmarks -am)"
	(cd "$repo" && mvn -B -q -DskipTests "${mvn_args[@]}" package -pl ear,deployment,benchmarks -am)
fi
[[ -f $jar ]] || { log "ERROR: no $jar (build failed?)"; exit 1; }

rc=0
java -Xms256m -Xmx1g -Djava.awt.headless=true -jar "$jar" run --repo "$repo" "$@" || rc=$?
log "done in $((SECONDS - start)) s (exit $rc)"
exit $rc
