package org.webims.gateway.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.webims.gateway.bench.load.LoadGenerator;
import org.webims.gateway.bench.load.SipClient;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.bench.report.Report;

/**
 * The whole comparison: for each target (Kamailio as edge proxy, then the gateway on WildFly) a fresh set of peers
 * (demo IMS core, rtpengine, SIPp UAS), then, with one load generator per target:
 * <ol>
 * <li>concurrency: N clients connect and register, idle with keepalives (CPU over a window, memory), then 10N;
 * then M established calls and 10M (memory), released;</li>
 * <li>a REGISTER sweep and a call sweep over the registered clients, step by step up the offered rates until a
 * step does not sustain its rate;</li>
 * <li>the highest sustained call and REGISTER rates held for longer than a step, both targets alike with nothing
 * recording, stepping down while a hold fails ({@link HoldSearch}); on the gateway also its calls held at the
 * rate Kamailio held when its own search did not try that rate (issue 14 compares with it);</li>
 * <li>past capacity: steps as long as a hold at 1.25, 1.5, 1.75 and 2 times the rates held, every one run (goodput,
 * 503s with and without Retry-After, timeouts); then, on the gateway only, the rates held again in shorter windows
 * recorded with JFR;</li>
 * <li>a second call sweep with SDP passed through: the target restarted without media anchoring (the gateway with
 * {@code gateway.media.anchoring=false}, Kamailio without rtpengine), with a fresh pool of clients;</li>
 * <li>the gateway only: a third call sweep (media anchored) on the gateway restarted with offline (Rf) and online (Ro)
 * charging to the test CDF and OCS and a service policy in force, with what the CDF and OCS took.</li>
 * </ol>
 * {@link #soak} is a run of its own: the gateway alone under a steady load for minutes, read every 30 s.
 * Every process is stopped at the end (and on Ctrl-C). The report goes to {@code docs/BENCHMARKS.md} and
 * {@code docs/benchmarks/}.
 */
public final class BenchmarkRun {
    private static final String SUT = "system under test";
    private static final String GENERATOR = "load generator";
    private static final String OTHER = "other (outside the run, and kernel interrupts)";
    private static final String JIT = "of which JIT compilation";
    /** Above this CPU share of one core, processes outside the run disturb a measurement: wait for them first. */
    private static final double QUIET_PERCENT = 30;
    /** The system under test and its peers at rest: idle clients' keepalives only (see {@link #awaitRested}). */
    private static final double RESTED_PERCENT = 30;
    private static final Duration QUIET_WAIT = Duration.ofSeconds(20);
    /** All the waiting for quiet a run may do, so that a busy machine cannot push it past its time budget. */
    private long quietBudgetNanos = Duration.ofSeconds(90).toNanos();

    private final Path repo;
    private final Plan plan;
    private final String only;
    private final Path runDir;
    private final Path serverTemplate;
    private final Path ear;
    private final long started = System.nanoTime();
    /** Processes started for one phase only (the CDF and OCS), accounted as groups of their own meanwhile. */
    private Map<String, List<ProcessHandle>> extraGroups = Map.of();

    public BenchmarkRun(Path repo, Plan plan, String only) {
        this.repo = repo;
        this.plan = plan;
        this.only = only;
        this.runDir = repo.resolve("benchmarks/target/run");
        this.serverTemplate = Path.of(System.getProperty("bench.server",
                repo.resolve("deployment/target/server").toString()));
        this.ear = Path.of(System.getProperty("bench.ear",
                repo.resolve("ear/target/webrtc-ims-gateway.ear").toString()));
    }

    /** Runs everything and writes the report; 0 on success. */
    public int run() {
        try {
            preflight();
            Instant begin = Instant.now();
            Machine machine = Machine.read(repo, serverTemplate);
            log("machine: %s, %d cores, %d MB; %s", machine.cpu(), machine.cores(), machine.memoryMb(),
                    machine.versions());
            List<TargetResults> results = new ArrayList<>();
            // Kamailio first: the gateway's calls are also held at the rate Kamailio held (its highest sustained rate
            // over a hold), which issue 14 compares with ("held at Kamailio's highest sustained rate or better")
            TargetResults reference = null;
            if (only == null || only.equals("kamailio")) {
                reference = measureKamailio();
                results.add(reference);
            }
            if (only == null || only.equals("gateway")) {
                results.add(0, measureGateway(reference));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started).truncatedTo(ChronoUnit.SECONDS);
            Path doc = repo.resolve("docs/BENCHMARKS.md");
            new Report(machine, plan, results, begin, took).write(doc, repo.resolve("docs/benchmarks"));
            log("wrote %s and docs/benchmarks/ in %d min %d s (logs of every process: %s)", doc, took.toMinutes(),
                    took.toSecondsPart(), runDir);
            return 0;
        } catch (IOException | RuntimeException e) {
            log("FAILED: %s (logs: %s)", e, runDir);
            e.printStackTrace(System.out);
            return 1;
        }
    }

    /**
     * The soak: the gateway (media anchored) and its peers, a pool of clients, then calls and re-registrations at
     * {@code rates} for {@code minutes}, read every 30 s; writes {@code docs/benchmarks/soak.md} (and its chart) and
     * the soak section of docs/BENCHMARKS.md. 0 when the soak was clean (heap flat, nothing left, no errors).
     */
    public int soak(int minutes, SoakRates rates) {
        try {
            preflight();
            Path dir = runDir.resolve("soak");
            SoakResult result;
            try (Peers peers = Peers.start(repo, dir.resolve("peers"));
                    GatewayTarget gateway = gatewayTarget(dir, true)) {
                log("soak: starting WildFly (port offset %d, heap %s)", Ports.WILDFLY_OFFSET, GatewayTarget.HEAP);
                gateway.start();
                warmUpRestart(gateway); // as the sweep's fresh JVMs: calls at rising rates, then until the JIT settles
                try (LoadGenerator gen = generator(gateway, 3_000_001)) {
                    int clients = rates.clients(plan.hold());
                    log("soak: connecting %d clients", clients);
                    log("soak: %s", gen.connectAndRegister(clients, plan.connectRate()));
                    log("soak: %.0f calls/s and %.0f REGISTER/s (%s) for %d min", rates.callRate(),
                            rates.registerRate(), rates.source(), minutes);
                    result = new Soak(gateway, gen, plan.hold()).run(minutes, rates.callRate(), rates.registerRate(),
                            rates.source(), plan.settle().multipliedBy(2));
                }
            }
            Path assets = repo.resolve("docs/benchmarks");
            org.webims.gateway.bench.report.SoakReport.write(result, assets, repo.resolve("docs/BENCHMARKS.md"));
            log("soak: %s; wrote %s", result.clean() ? "clean" : "NOT clean", assets.resolve("soak.md"));
            return result.clean() ? 0 : 3;
        } catch (IOException | RuntimeException e) {
            log("FAILED: %s (logs: %s)", e, runDir);
            e.printStackTrace(System.out);
            return 1;
        }
    }

    /**
     * Starts the peers and one target and keeps them up until this process is stopped (Ctrl-C) or standard input
     * closes, printing where clients connect: to drive or profile a target by hand with {@code load}.
     */
    public int serve(String which) {
        try {
            preflight();
            Path dir = runDir.resolve("serve-" + which);
            boolean charging = which.equals("gateway-charging");
            if (charging && !ChargingPeers.available()) {
                log("FAILED: no `escript` (Erlang/OTP) on the PATH for the test CDF and OCS (bin/gateway install)");
                return 1;
            }
            try (Peers peers = Peers.start(repo, dir.resolve("peers"));
                    ChargingPeers chargingPeers = charging ? ChargingPeers.start(repo, dir.resolve("diameter")) : null;
                    Target target = switch (which) {
                        case "gateway" -> gatewayTarget(dir, true);
                        // as the sweep with policy and charging on: Rf and Ro to the test CDF and OCS, policy in force
                        case "gateway-charging" -> new GatewayTarget(serverTemplate, ear, repo, dir, true,
                                chargingPeers.gatewayProperties(), "gateway, policy and charging on");
                        case "gateway-passthrough" -> gatewayTarget(dir, false);
                        case "kamailio" -> new KamailioEdgeTarget(repo, dir.resolve("edge"), true);
                        case "kamailio-passthrough" -> new KamailioEdgeTarget(repo, dir.resolve("edge"), false);
                        default -> throw new IllegalArgumentException("no target " + which);
                    }) {
                target.start();
                if (charging) {
                    ServicePolicy.apply(((GatewayTarget) target).adminApi(), "bench", CHARGING_FIRST_USER,
                            ServicePolicy.SUBSCRIBERS);
                    log("policy in force for the users from %d (load --first-user %d), as in the charging sweep",
                            CHARGING_FIRST_USER, CHARGING_FIRST_USER);
                }
                log("%s up: clients at %s, calls to sip:uas@%s:%d; pids %s; Ctrl-C (or end of input) stops it",
                        target.description(), target.wsUri(), Ports.HOST, Ports.UAS,
                        target.processes().stream().map(ProcessHandle::pid).toList());
                while (System.in.read() >= 0) {
                    // wait for the end of input
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            log("FAILED: %s", e);
            return 1;
        }
    }

    private void preflight() throws IOException {
        for (String tool : List.of("kamailio", "kamcmd", "rtpengine", "sipp", "jcmd")) {
            if (Proc.output(Duration.ofSeconds(5), "sh", "-c", "command -v " + tool).isBlank()) {
                throw new IOException(tool + " not found on PATH (bin/gateway install installs the peers)");
            }
        }
        if (!Files.isRegularFile(ear) || !Files.isExecutable(serverTemplate.resolve("bin/standalone.sh"))) {
            throw new IOException("no EAR at " + ear + " or no provisioned server at " + serverTemplate
                    + ": build first (mvn -DskipTests package -pl ear,deployment -am)");
        }
        List<String> busy = new ArrayList<>();
        for (int port : Ports.TCP) {
            if (!Peers.tcpFree(port)) {
                busy.add("tcp " + port);
            }
        }
        for (int port : Ports.UDP) {
            if (!Peers.udpFree(port)) {
                busy.add("udp " + port);
            }
        }
        if (!busy.isEmpty()) {
            throw new IOException("ports of the benchmark family are in use on 127.0.0.1: " + busy
                    + " (another benchmark run?)");
        }
        Files.createDirectories(runDir);
    }

    // ------------------------------------------------------------------------------------------ targets

    /** @param reference Kamailio's results, measured before, or null */
    private TargetResults measureGateway(TargetResults reference) throws IOException {
        Path dir = runDir.resolve("gateway");
        try (Peers peers = Peers.start(repo, dir.resolve("peers"))) {
            TargetResults r;
            try (GatewayTarget gateway = gatewayTarget(dir, true)) {
                log("gateway: starting WildFly (port offset %d, heap %s)", Ports.WILDFLY_OFFSET, GatewayTarget.HEAP);
                gateway.start();
                log("gateway: ready (JVM pid %d) at %s", gateway.jvmPid(), gateway.wsUri());
                r = new TargetResults(gateway);
                try (LoadGenerator gen = generator(gateway, 1)) {
                    concurrency(gateway, gen, peers, r);
                    sweep("REGISTER", plan.registerRates(), gateway, gen, peers, r.registerSweep);
                    sweep("call", plan.callRates(), gateway, gen, peers, r.callSweep);
                    // held and pushed past capacity as Kamailio is, without a recording; the recording comes last,
                    // in a window of its own: starting JFR sets C2 recompiling for many seconds (40-55 % of a core
                    // in the runs of e635b46 and 8fce7c0), which disturbed whatever came after it
                    holds(r, gateway, gen, peers);
                    Double kamailioCalls = reference == null ? null : TargetResults.heldRate(reference.callHoldSearch);
                    if (kamailioCalls != null && r.callHoldSearch.stream()
                            .noneMatch(s -> s.result().offeredRate() == kamailioCalls)) {
                        // the same hold at the rate Kamailio held, when the gateway's search did not hold that rate
                        // already (once, as Kamailio had: a rate the search failed at is not tried again)
                        awaitRested(gateway, peers);
                        awaitQuiet(gateway, peers);
                        Step atReference = hold("call", kamailioCalls, plan.holdSeconds(), gateway, gen, peers);
                        r.callHolds.add(atReference);
                        r.callCheckAtReference = atReference.result();
                    }
                    pastCapacity("call", r, gateway, gen, peers, r.callPastCapacity);
                    pastCapacity("REGISTER", r, gateway, gen, peers, r.registerPastCapacity);
                    r.callProfile = profile("call", r, plan.recordSeconds(), gateway, gen, peers, dir);
                    r.registerProfile = profile("REGISTER", r, plan.recordSeconds() * 2 / 3, gateway, gen, peers,
                            dir);
                }
            }
            try (GatewayTarget gateway = gatewayTarget(dir.resolve("passthrough"), false)) {
                log("gateway: restarting WildFly with gateway.media.anchoring=false (SDP passed through)");
                gateway.start();
                warmUpRestart(gateway); // a fresh JVM: compiled like the first one before anything is measured
                poolSweep("call (SDP passed through)", gateway, peers, 1_000_001, r.callSweepMediaOff);
            }
            r.notes.add("Calls with SDP passed through were measured on the gateway restarted with "
                    + "`gateway.media.anchoring=false` (a fresh JVM, warmed up with " + restartWarmUpCalls()
                    + " calls at 25 to 100/s, " + untilSettledText() + "; then measured with a fresh pool of "
                    + plan.pool() + " clients, over which the same settling ran before the first step); rtpengine "
                    + "kept running and was not contacted.");
            try {
                measureCharging(dir.resolve("charging"), peers, r);
            } catch (IOException | RuntimeException e) {
                // the comparison stands without it; the report says what went wrong
                log("gateway: the sweep with policy and charging failed: %s", e);
                r.notes.add("Calls with policy and charging on could not be measured: " + e.getMessage()
                        + " (logs in benchmarks/target/run/gateway/charging).");
            }
            r.uasErrors = peers.uasErrors();
            return r;
        }
    }

    /**
     * The call sweep (media anchored) on the gateway restarted with offline and online charging to the test CDF and
     * OCS and a service policy in force (operator default and subscriber layers), with what the CDF and OCS took.
     */
    private void measureCharging(Path dir, Peers peers, TargetResults r) throws IOException {
        if (!ChargingPeers.available()) {
            r.notes.add("Calls with policy and charging on were not measured: no `escript` (Erlang/OTP) on the PATH "
                    + "for the test CDF and OCS (`bin/gateway install` installs it).");
            return;
        }
        int firstUser = CHARGING_FIRST_USER;
        try (ChargingPeers charging = ChargingPeers.start(repo, dir.resolve("diameter"));
                GatewayTarget gateway = new GatewayTarget(serverTemplate, ear, repo, dir, true,
                        charging.gatewayProperties(), "gateway, policy and charging on")) {
            log("gateway: restarting WildFly with charging (Rf to the CDF on %d, Ro to the OCS on %d) and policy",
                    Ports.CDF, Ports.OCS);
            gateway.start();
            ServicePolicy.apply(gateway.adminApi(), "bench", firstUser, ServicePolicy.SUBSCRIBERS);
            extraGroups = charging.processes();
            warmUpRestart(gateway);
            ChargingCounts before = charging.counts();
            // held as the sweep without charging was: the comparison is between rates held
            r.chargingUnmeasuredCalls = poolSweep("call (policy and charging on)", gateway, peers, firstUser,
                    r.callSweepCharging, r.callHoldSearchCharging);
            Proc.sleep(plan.settle()); // the last records reach the CDF
            r.chargingCounts = charging.counts().minus(before);
            log("gateway: during the sweep with charging the CDF took %d ACRs (%d START, %d STOP) and the OCS %d CCRs "
                    + "(%d INITIAL, %d TERMINATION, %d not answered 2001)", r.chargingCounts.acrs(),
                    r.chargingCounts.acrStart(), r.chargingCounts.acrStop(), r.chargingCounts.ccrs(),
                    r.chargingCounts.ccrInitial(), r.chargingCounts.ccrTermination(), r.chargingCounts.ccrRejected());
        } finally {
            extraGroups = Map.of();
        }
        r.notes.add("Calls with policy and charging on were measured on the gateway restarted with "
                + "`gateway.charging.mode=both` (Rf to the test CDF, Ro to the test OCS of `deployment/charging`, "
                + "Erlang/OTP diameter, on 127.0.0.1:" + Ports.CDF + " and :" + Ports.OCS + "; every subscriber with "
                + "credit to spare) and " + ServicePolicy.DESCRIPTION + ": a fresh JVM, warmed up with "
                + restartWarmUpCalls() + " calls at 25 to 100/s through charging (its users under the operator's "
                + "default policy), " + untilSettledText() + "; then measured with a fresh pool of " + plan.pool()
                + " clients, over which the same settling ran before the first step.");
    }

    private TargetResults measureKamailio() throws IOException {
        Path dir = runDir.resolve("kamailio");
        try (Peers peers = Peers.start(repo, dir.resolve("peers"))) {
            TargetResults r;
            try (KamailioEdgeTarget edge = new KamailioEdgeTarget(repo, dir.resolve("edge-rtpengine"), true)) {
                edge.start();
                log("kamailio: edge with rtpengine ready at %s", edge.wsUri());
                r = new TargetResults(edge);
                try (LoadGenerator gen = generator(edge, 1)) {
                    concurrency(edge, gen, peers, r);
                    sweep("REGISTER", plan.registerRates(), edge, gen, peers, r.registerSweep);
                    sweep("call", plan.callRates(), edge, gen, peers, r.callSweep);
                    holds(r, edge, gen, peers);
                    pastCapacity("call", r, edge, gen, peers, r.callPastCapacity);
                    pastCapacity("REGISTER", r, edge, gen, peers, r.registerPastCapacity);
                }
            }
            try (KamailioEdgeTarget edge = new KamailioEdgeTarget(repo, dir.resolve("edge-passthrough"), false)) {
                edge.start();
                log("kamailio: edge without rtpengine (SDP passed through) ready");
                poolSweep("call (SDP passed through)", edge, peers, 1_000_001, r.callSweepMediaOff);
            }
            r.uasErrors = peers.uasErrors();
            return r;
        }
    }

    private GatewayTarget gatewayTarget(Path dir, boolean media) {
        return new GatewayTarget(serverTemplate, ear, repo, dir, media);
    }

    /** The call sweep on a restarted target, over a pool of clients of its own ({@code firstUser} up). */
    private void poolSweep(String kind, Target target, Peers peers, int firstUser, List<Step> into) {
        poolSweep(kind, target, peers, firstUser, into, null);
    }

    /**
     * A call sweep with a pool of its own, then, when {@code holdsInto} is given, its hold search; returns the calls
     * that succeeded unmeasured while the JIT settled.
     */
    private long poolSweep(String kind, Target target, Peers peers, int firstUser, List<Step> into,
            List<Step> holdsInto) {
        log("%s: connecting %d clients", target.key(), plan.pool());
        try (LoadGenerator gen = generator(target, firstUser)) {
            StepResult pool = gen.connectAndRegister(plan.pool(), plan.connectRate() * 2);
            log("%s: %s", target.key(), pool);
            long unmeasured = sweep(kind, plan.callRates(), target, gen, peers, into);
            if (holdsInto != null) {
                holdSearch(kind, into, plan.holdSeconds(), target, gen, peers, holdsInto);
            }
            return unmeasured;
        }
    }

    private LoadGenerator generator(Target target, int firstUser) {
        return new LoadGenerator(LoadGenerator.Settings.of(target.wsUri(), "sip:uas@" + Ports.HOST + ":" + Ports.UAS)
                .withFirstUser(firstUser).withKeepalive(plan.keepalive(), SipClient.KeepaliveMode.PING));
    }

    // ------------------------------------------------------------------------------------------ phases

    /**
     * Brings the load generator's JVM (and the target's, if it has one) past class loading and JIT compilation with
     * clients of their own, closed afterwards, so the first measured connections are not the first ever made.
     */
    private void warmUp(Target target) {
        try (LoadGenerator warm = generator(target, 900_001)) {
            StepResult c = warm.connectAndRegister(plan.warmUpClients(), 100);
            StepResult reg = warm.registerStep(150, plan.warmUp());
            StepResult calls = warm.callStep(30, plan.warmUp(), Duration.ofMillis(200));
            log("%s: warm-up (not measured): %s; %s; %s", target.key(), c, reg, calls);
        }
        Proc.sleep(plan.settle());
    }

    /**
     * A restarted gateway's warm-up: the first JVM had carried thousands of registrations and calls (concurrency,
     * the REGISTER sweep) before its call sweep, so a restart measured after the short warm-up only would be
     * measured while C2 still compiles the call path (40-60 % of a core in the run of e635b46). The calls here go
     * through whatever the restart turned on (charging, policy), so that path is compiled too.
     */
    private void warmUpRestart(Target target) {
        warmUp(target);
        try (LoadGenerator warm = generator(target, 950_001)) {
            StepResult pool = warm.connectAndRegister(plan.warmUpClients(), 100);
            for (double rate : RESTART_WARM_UP_CALL_RATES) {
                StepResult calls = warm.callStep(rate, plan.warmUp(), Duration.ofMillis(200));
                log("%s: restart warm-up (not measured): %s; calls at %.0f/s: %s", target.key(), pool, rate, calls);
            }
            // then until the JIT compiler has settled: with charging on, ~1,200 more methods (the outbox's
            // persistence: EJB, JTA, Hibernate, H2; Diameter on Netty) reach C2 only per record, slowly: C2 was still
            // at 45 % of a core after 8,000 calls (JIT logs of a reproduction), so up to two minutes more
            settleJit("call", target, warm);
        }
        Proc.sleep(plan.settle());
    }

    /**
     * Runs {@code kind} ("REGISTER" or "call") unmeasured until the target's JIT compiler settles; returns how many of
     * those operations succeeded (charged calls, for one).
     */
    private long settleJit(String kind, Target target, LoadGenerator gen) {
        double rate = kind.equals("REGISTER") ? JitSettling.REGISTER_RATE : JitSettling.CALL_RATE;
        long succeeded = 0;
        // a JVM has compiled by now (its warm-up ran); native code never has
        JitSettling.Steps steps = new JitSettling.Steps(target.jitCpuSeconds() > 0, plan.settlingOperations());
        double jitShare = Double.NaN;
        for (int step = 0; step < JitSettling.MAX_STEPS; step++) {
            double jitBefore = target.jitCpuSeconds();
            long start = System.nanoTime();
            StepResult warm = operate(kind, gen, rate, plan.warmUp(), Duration.ofMillis(200));
            succeeded += warm.succeeded();
            jitShare = (target.jitCpuSeconds() - jitBefore) / ((System.nanoTime() - start) / 1e9);
            log("%s: until the JIT settles (not measured): %s; JIT %.1f %% of a core", target.key(), warm,
                    100 * jitShare);
            if (steps.settledAfter(jitShare, warm.succeeded())) {
                return succeeded;
            }
        }
        log("%s: the JIT did not settle in %d steps (the last %.1f %% of a core): measured as it is", target.key(),
                JitSettling.MAX_STEPS, 100 * jitShare);
        return succeeded;
    }

    /** The first user of the sweep with policy and charging on: the policy's subscriber layer is set from it. */
    private static final int CHARGING_FIRST_USER = 2_000_001;

    /** Call rates of a restarted gateway's warm-up, each for the warm-up's time: 1,500 calls in the full plan. */
    private static final List<Double> RESTART_WARM_UP_CALL_RATES = List.of(25.0, 50.0, 75.0, JitSettling.CALL_RATE);

    /** How a restarted gateway's warm-up ends, for the report's notes. */
    private String untilSettledText() {
        long more = Math.round(JitSettling.MAX_STEPS * JitSettling.CALL_RATE * plan.warmUp().toMillis() / 1000.0);
        return String.format(java.util.Locale.ROOT, "then at %.0f/s until at least %d calls had run and the JIT "
                + "compiler was under %.0f %% of a core over %d steps in a row (at most %d more calls)",
                JitSettling.CALL_RATE, plan.settlingOperations(), 100 * JitSettling.SETTLED, JitSettling.QUIET_STEPS,
                more);
    }

    private long restartWarmUpCalls() {
        return Math.round(RESTART_WARM_UP_CALL_RATES.stream().mapToDouble(Double::doubleValue).sum()
                * plan.warmUp().toMillis() / 1000.0);
    }

    private void concurrency(Target target, LoadGenerator gen, Peers peers, TargetResults r) {
        String k = target.key();
        int n = plan.clients();
        int m = plan.calls();
        warmUp(target);
        r.baseline = snapshot(target, gen, Double.NaN);
        log("%s: baseline %s", k, r.baseline);
        r.connectN = gen.connectAndRegister(n, plan.connectRate());
        log("%s: %s (registrations tried again after a 503 with Retry-After so far: %d)", k, r.connectN,
                gen.retriedRegistrations());
        Proc.sleep(plan.settle());
        r.idleN = snapshot(target, gen, idleCpu(target, peers));
        Map<String, Long> ownersN = target.memoryByOwner();
        log("%s: %d idle clients: %s", k, n, r.idleN);
        probe(target, gen, peers, r.probeN);
        r.connect10N = gen.connectAndRegister(n * (plan.growth() - 1), plan.connectRate());
        log("%s: %s (registrations tried again after a 503 with Retry-After so far: %d)", k, r.connect10N,
                gen.retriedRegistrations());
        Proc.sleep(plan.settle());
        r.idle10N = snapshot(target, gen, idleCpu(target, peers));
        Map<String, Long> owners10N = target.memoryByOwner();
        r.perClient.addAll(growth(ownersN, owners10N, r.idle10N.clients() - r.idleN.clients()));
        log("%s: %d idle clients: %s; per client: %s", k, n * plan.growth(), r.idle10N, r.perClient);
        probe(target, gen, peers, r.probe10N);
        r.establishM = gen.establishCalls(m, plan.callSetupRate());
        log("%s: %s", k, r.establishM);
        Proc.sleep(plan.settle());
        r.callsM = snapshot(target, gen, Double.NaN);
        Map<String, Long> ownersM = target.memoryByOwner();
        log("%s: %d calls: %s", k, gen.heldCalls(), r.callsM);
        r.establish10M = gen.establishCalls(m * (plan.growth() - 1), plan.callSetupRate());
        log("%s: %s", k, r.establish10M);
        Proc.sleep(plan.settle());
        r.calls10M = snapshot(target, gen, Double.NaN);
        r.perCall.addAll(growth(ownersM, target.memoryByOwner(), r.calls10M.calls() - r.callsM.calls()));
        log("%s: %d calls: %s; per call: %s", k, gen.heldCalls(), r.calls10M, r.perCall);
        r.release = gen.releaseCalls(plan.callSetupRate() * 2);
        log("%s: %s", k, r.release);
        Proc.sleep(plan.settle());
    }

    /** A sweep ({@link #settleJit} first); returns the operations that succeeded unmeasured while the JIT settled. */
    private long sweep(String kind, List<Double> rates, Target target, LoadGenerator gen, Peers peers,
            List<Step> into) {
        long unmeasured = settleJit(kind, target, gen);
        Proc.sleep(plan.settle());
        Double sustained = null;
        for (double rate : rates) {
            awaitQuiet(target, peers);
            Step step = measure(kind, rate, plan.step(), target, gen, peers);
            into.add(step);
            if (!step.result().sustained()) {
                if (sustained != null) {
                    narrowDown(kind, sustained, rate, target, gen, peers, into);
                }
                break;
            }
            sustained = rate;
        }
        Proc.sleep(plan.settle()); // let an overloaded server drain before the next phase
        return unmeasured;
    }

    /**
     * One more step halfway between the last rate sustained and the first that was not ({@link Plan#refinement}),
     * after the server drained, kept in rate order: the highest sustained rate is then known to within half a step.
     */
    private void narrowDown(String kind, double sustained, double failed, Target target, LoadGenerator gen,
            Peers peers, List<Step> into) {
        java.util.OptionalDouble rate = Plan.refinement(sustained, failed);
        if (rate.isEmpty()) {
            return;
        }
        Proc.sleep(plan.settle()); // the failed step's backlog gone first
        awaitQuiet(target, peers);
        Step step = measure(kind, rate.getAsDouble(), plan.step(), target, gen, peers);
        into.add(into.size() - 1, step);
    }

    /** {@code kind}'s operation ("REGISTER" or a call kind) at {@code rate} for {@code duration}, calls held {@code hold}. */
    private static StepResult operate(String kind, LoadGenerator gen, double rate, Duration duration, Duration hold) {
        return kind.equals("REGISTER") ? gen.registerStep(rate, duration) : gen.callStep(rate, duration, hold);
    }

    /** One step ("REGISTER" or a call kind) with the CPU of every process group and the UDP drops meanwhile. */
    private Step measure(String kind, double rate, Duration duration, Target target, LoadGenerator gen,
            Peers peers) {
        Map<String, List<ProcessHandle>> groups = groups(target, peers);
        Map<String, Double> before = cpu(groups);
        double jitBefore = target.jitCpuSeconds();
        Map<String, Long> dropsBefore = Proc.udpDrops();
        long t0 = System.nanoTime();
        StepResult result = operate(kind, gen, rate, duration, plan.hold());
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = cpu(groups);
        double jit = target.jitCpuSeconds() - jitBefore;
        Map<String, Long> drops = new java.util.TreeMap<>();
        Proc.udpDrops().forEach((k, v) -> {
            long d = v - dropsBefore.getOrDefault(k, 0L);
            if (d > 0) {
                drops.put(k, d);
            }
        });
        Map<String, Double> percent = new LinkedHashMap<>();
        after.forEach((g, sec) -> {
            percent.put(g, Math.max(0, 100 * (sec - before.get(g)) / wall));
            if (g.equals(SUT)) {
                percent.put(JIT, 100 * jit / wall);
            }
        });
        double sutCpu = after.get(SUT) - before.get(SUT) - jit;
        Step step = new Step(result, percent, result.succeeded() == 0 ? Double.NaN
                : 1000 * sutCpu / result.succeeded(), drops);
        log("%s: %s%s | CPU %% of a core: %s | UDP drops: %s", target.key(), result,
                result.sustained() ? "" : "  <- not sustained", format(percent), step.describeDrops());
        return step;
    }

    /**
     * Waits (at most {@link #QUIET_WAIT}) until the system under test and its peers together use under
     * {@link #RESTED_PERCENT} % of a core over half a second: a hold after one that failed starts once the backlog the
     * failure left (rtpengine's commands, calls still ending) is worked off, as the first hold of a search does, on
     * either target, rather than on the tail of its predecessor.
     */
    private void awaitRested(Target target, Peers peers) {
        Map<String, List<ProcessHandle>> groups = groups(target, peers);
        long start = System.nanoTime();
        double busy;
        while (true) {
            Map<String, Double> percent = percentOverHalfASecond(groups);
            busy = groups.keySet().stream().filter(group -> !group.equals(GENERATOR)).mapToDouble(percent::get).sum();
            if (busy < RESTED_PERCENT || System.nanoTime() - start > QUIET_WAIT.toNanos()) {
                break;
            }
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (waited > 1) {
            log("%s: waited %.1f s for the system under test and its peers to rest (last at %.0f %% of a core)",
                    target.key(), waited, busy);
        }
    }

    /**
     * Waits (at most {@link #QUIET_WAIT}) until processes outside the run use under {@link #QUIET_PERCENT} % of a
     * core over a second, so a neighbour's burst does not land in a measurement; returns the share it last saw.
     */
    private double awaitQuiet(Target target, Peers peers) {
        Map<String, List<ProcessHandle>> groups = groups(target, peers);
        long start = System.nanoTime();
        long deadline = start + Math.min(QUIET_WAIT.toNanos(), quietBudgetNanos);
        double other;
        while (true) {
            other = percentOverHalfASecond(groups).get(OTHER);
            if (other < QUIET_PERCENT || System.nanoTime() > deadline) {
                break;
            }
        }
        long waited = System.nanoTime() - start - Duration.ofMillis(500).toNanos();
        if (waited > Duration.ofMillis(100).toNanos()) {
            quietBudgetNanos -= waited;
            log("%s: waited %.1f s for processes outside the run (last at %.0f %% of a core; %.0f s of waiting left)",
                    target.key(), waited / 1e9, other, Math.max(0, quietBudgetNanos / 1e9));
        }
        return other;
    }

    /** The same small REGISTER and call loads at each concurrency point: does the cost per operation grow? */
    private void probe(Target target, LoadGenerator gen, Peers peers, List<Step> into) {
        awaitQuiet(target, peers);
        into.add(measure("REGISTER", plan.probeRegisterRate(), plan.step(), target, gen, peers));
        into.add(measure("call", plan.probeCallRate(), plan.step(), target, gen, peers));
        Proc.sleep(plan.settle());
    }

    /** Calls, then registrations, held ({@link #holdSearch}), the same way on both targets. */
    private void holds(TargetResults r, Target target, LoadGenerator gen, Peers peers) {
        holdSearch("call", r.callSweep, plan.holdSeconds(), target, gen, peers, r.callHoldSearch);
        r.callHolds.addAll(r.callHoldSearch);
        holdSearch("REGISTER", r.registerSweep, plan.registerHoldSeconds(), target, gen, peers, r.registerHoldSearch);
    }

    /**
     * Holds a workload for {@code seconds} at the highest rate its sweep sustained and, while a hold does not sustain
     * its rate, at the lower ones {@link HoldSearch} picks, until one holds or none is left. Nothing records meanwhile,
     * on either target.
     */
    private void holdSearch(String kind, List<Step> sweep, int seconds, Target target, LoadGenerator gen, Peers peers,
            List<Step> into) {
        HoldSearch search = new HoldSearch(TargetResults.sustainedRates(sweep),
                (kind.equals("REGISTER") ? plan.registerRates() : plan.callRates()).get(0));
        java.util.OptionalDouble rate = java.util.OptionalDouble.of(search.first());
        while (rate.isPresent()) {
            awaitRested(target, peers);
            awaitQuiet(target, peers);
            Step step = hold(kind, rate.getAsDouble(), seconds, target, gen, peers);
            into.add(step);
            if (step.result().sustained()) {
                return;
            }
            log("%s: %s not held at %.0f/s (%.0f/s completed)", target.key(), kind, rate.getAsDouble(),
                    step.result().throughput());
            rate = search.afterFailure(step.result().throughput());
        }
    }

    /** A hold, with the CPU of every process group over it as a step has ({@link #measure}). */
    private Step hold(String kind, double rate, int seconds, Target target, LoadGenerator gen, Peers peers) {
        log("%s: %s held for %d s at %.0f/s", target.key(), kind, seconds, rate);
        Step step = measure(kind, rate, Duration.ofSeconds(seconds), target, gen, peers);
        Proc.sleep(plan.settle());
        return step;
    }

    /**
     * Past capacity: steps at each of {@link Plan#overloadFactors()} times the rate held, every one of
     * them whatever the one before did. How much of the offered load still completes, and how the excess is turned
     * away (503 with Retry-After, or left to time out), is what overload control is about.
     */
    private void pastCapacity(String kind, TargetResults r, Target target, LoadGenerator gen, Peers peers,
            List<Step> into) {
        double base = checkRate(kind, r);
        // as long as the holds: the goodput compared with the held rate's is not carried by queues either
        Duration length = Duration.ofSeconds(kind.equals("REGISTER") ? plan.registerHoldSeconds() : plan.holdSeconds());
        log("%s: %s past capacity: %s times %.0f/s, %d s each", target.key(), kind, plan.overloadFactors(), base,
                length.toSeconds());
        for (double factor : plan.overloadFactors()) {
            awaitQuiet(target, peers);
            into.add(measure(kind, Math.rint(base * factor), length, target, gen, peers));
            Proc.sleep(plan.settle()); // the overloaded server drained before the next step, or the next phase
        }
    }

    /** The rate a workload's hold search ended on: the highest it held, or the lowest tried. */
    private static double checkRate(String kind, TargetResults r) {
        return TargetResults.lastHold(kind.equals("REGISTER") ? r.registerHoldSearch : r.callHoldSearch).result()
                .offeredRate();
    }

    /**
     * The rate of a workload's {@link #check}, held again in a window of its own on the gateway and recorded with JFR,
     * with the CPU of each of its threads over the same window.
     */
    private Profile profile(String kind, TargetResults r, int seconds, GatewayTarget gateway, LoadGenerator gen,
            Peers peers, Path dir) throws IOException {
        Path file = dir.resolve(kind.toLowerCase(Locale.ROOT) + ".jfr");
        Files.deleteIfExists(file);
        awaitQuiet(gateway, peers);
        int settle = (int) plan.profileSettle().toSeconds();
        gateway.startRecording(file, settle + seconds);
        log("gateway: JFR recording started; its first %d s (the JIT recompiling) are left out", settle);
        // the threads' CPU over the part of the recording that is analysed, read beside the load
        CompletableFuture<Map<String, Double>> threadCpu = CompletableFuture.supplyAsync(() -> {
            Proc.sleep(Duration.ofSeconds(settle));
            Map<String, Long> before = Proc.threadTicks(gateway.jvmPid());
            Proc.sleep(Duration.ofSeconds(seconds));
            return Proc.threadSeconds(before, Proc.threadTicks(gateway.jvmPid()));
        });
        StepResult during = hold(kind, checkRate(kind, r), settle + seconds, gateway, gen, peers).result();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Proc.sleep(Duration.ofMillis(200));
        }
        Proc.sleep(Duration.ofSeconds(1)); // the file is complete once the recording has stopped and been written
        Profile profile = Profile.analyze(file, String.format(Locale.ROOT,
                "%s offered at %.0f/s for %d s with %d registered clients: %d of %d succeeded, %.0f/s completed, "
                        + "p50 %.1f ms, p99 %.1f ms (the recording's last %d s analysed)",
                kind.equals("REGISTER") ? "REGISTER" : "calls (media anchored)", during.offeredRate(),
                settle + seconds, gen.registeredClients(), during.succeeded(), during.attempts(),
                during.throughput(), during.p50Millis(), during.p99Millis(), seconds), plan.profileSettle())
                .withThreadCpu(threadCpu.join(), seconds);
        log("gateway: profile of %s: %d samples; largest component %s; nearest gateway code %s", kind,
                profile.samples(), profile.topComponent(), profile.byGatewayFrame().stream().findFirst().orElse(null));
        return profile;
    }

    // ------------------------------------------------------------------------------------------ measuring

    private Snapshot snapshot(Target target, LoadGenerator gen, double cpuPercent) {
        return new Snapshot(gen.registeredClients(), gen.heldCalls(), target.liveBytes(),
                Proc.pssKb(target.processes()), cpuPercent);
    }

    /** The owners that grew most between two readings, in bytes per unit added (at most 8, growth only). */
    private static List<Profile.Row> growth(Map<String, Long> before, Map<String, Long> after, int added) {
        if (added <= 0) {
            return List.of();
        }
        long total = after.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum();
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> new Profile.Row(e.getKey(), e.getValue() / added,
                        total <= 0 ? 0 : 100.0 * e.getValue() / total))
                .toList();
    }

    /** CPU of the system under test over the idle window, % of one core. */
    private double idleCpu(Target target, Peers peers) {
        awaitQuiet(target, peers);
        List<ProcessHandle> processes = target.processes();
        double before = Proc.cpuSeconds(processes);
        long t0 = System.nanoTime();
        Proc.sleep(plan.idleWindow());
        double wall = (System.nanoTime() - t0) / 1e9;
        return 100 * (Proc.cpuSeconds(processes) - before) / wall;
    }

    private Map<String, List<ProcessHandle>> groups(Target target, Peers peers) {
        Map<String, List<ProcessHandle>> groups = new LinkedHashMap<>();
        groups.put(SUT, target.processes());
        Map<String, List<ProcessHandle>> others = new java.util.TreeMap<>(peers.processes());
        others.putAll(extraGroups);
        groups.putAll(others);
        groups.put(GENERATOR, List.of(ProcessHandle.current()));
        return groups;
    }

    /** The CPU of each group, and of everything else the machine did, over the next half second: % of a core. */
    private static Map<String, Double> percentOverHalfASecond(Map<String, List<ProcessHandle>> groups) {
        Map<String, Double> before = cpu(groups);
        long t0 = System.nanoTime();
        Proc.sleep(Duration.ofMillis(500));
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> percent = new LinkedHashMap<>();
        cpu(groups).forEach((group, seconds) -> percent.put(group, 100 * (seconds - before.get(group)) / wall));
        return percent;
    }

    /** Cumulative CPU seconds of each group, and of everything else the machine did. */
    private static Map<String, Double> cpu(Map<String, List<ProcessHandle>> groups) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double machine = Proc.machineBusySeconds();
        groups.forEach((g, ps) -> seconds.put(g, Proc.cpuSeconds(ps)));
        seconds.put(OTHER, machine - seconds.values().stream().mapToDouble(Double::doubleValue).sum());
        return seconds;
    }

    private static String format(Map<String, Double> percent) {
        StringBuilder sb = new StringBuilder();
        percent.forEach((g, p) -> sb.append(sb.length() == 0 ? "" : ", ").append(g).append(' ')
                .append(String.format(Locale.ROOT, "%.0f", p)));
        return sb.toString();
    }

    static void log(String format, Object... args) {
        System.out.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] "
                + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
