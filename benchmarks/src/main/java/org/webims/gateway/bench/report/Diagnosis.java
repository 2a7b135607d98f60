package org.webims.gateway.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.webims.gateway.bench.run.Profile;
import org.webims.gateway.bench.run.Step;
import org.webims.gateway.bench.run.TargetResults;

/**
 * Names the gateway's first bottleneck from the run: where its sweeps stopped and what filled its CPU then, what
 * the JFR recordings charge most samples to, and whether the cost per operation grew with the clients connected.
 * The explanations of known causes are keyed to the code the profile points at, so they appear only when this run's
 * profile shows that code; anything else is reported as found, without an explanation.
 */
final class Diagnosis {
    private Diagnosis() {}

    static String of(TargetResults gw, TargetResults kam) {
        StringBuilder t = new StringBuilder();
        saturation(t, "REGISTER", gw.registerSweep, kam == null ? List.of() : kam.registerSweep);
        held(t, "registrations", gw.registerHoldSearch);
        saturation(t, "call", gw.callSweep, kam == null ? List.of() : kam.callSweep);
        held(t, "calls", gw.callHoldSearch);
        if (gw.callCheckAtReference != null) {
            held(t, "calls at the rate Kamailio held", gw.callCheckAtReference);
        }
        growth(t, gw, kam);
        Profile calls = gw.callProfile;
        Profile registers = gw.registerProfile;
        boolean explained = false;
        List<String> explainedFrames = new ArrayList<>();
        // The scan's signature: a lookup by flow that is one hash probe spends nothing in FlowId.equals.
        if (calls != null && nearest(calls, "FlowId.equals") >= 10) {
            double share = nearest(calls, "RegistrationStore.forFlow", "FlowId.equals", "Binding.");
            explainedFrames.addAll(List.of("RegistrationStore", "FlowId.equals"));
            t.append("\n\n**First bottleneck: the registration lookup of every call.** In the recording of calls, ")
                    .append(Report.fmt(share, 0)).append(" % of the gateway's execution samples are in "
                            + "`RegistrationStore.forFlow` (sip-module, `registration/RegistrationStore.java`) and the "
                            + "`FlowId.equals` it calls. `B2bua.originate` calls it for every INVITE to find the "
                            + "caller's binding, and it streams over **every binding of every client**, comparing flow "
                            + "ids (record `equals` through `ObjectMethods`), inside the store's `synchronized` lock, "
                            + "which every REGISTER answer (`apply`) and every closed connection (`removeFlow`, the "
                            + "same scan) also takes. Its cost per call grows with the number of registered clients "
                            + "and it serialises calls and registrations on one lock, so the gateway's call rate falls "
                            + "as its population grows whatever the cores. **What removes it**: index the bindings by "
                            + "flow id (a `ConcurrentHashMap<FlowId, List<Binding>>` beside the map by AoR and contact, "
                            + "updated in `apply`, `removeFlow` and `expire`), so `forFlow` and `removeFlow` are one "
                            + "lookup and need no global lock.");
            explained = true;
        }
        if (registers != null && nearest(registers, "SipContext.coreHop") >= 3) {
            double encoding = registers.component("SIP message encoding").percent();
            double coreHop = nearest(registers, "SipContext.coreHop");
            explainedFrames.add("SipContext.coreHop");
            t.append("\n\n").append(explained ? "**Next, on the registration path: encoding SIP messages.** "
                    : "**First bottleneck: encoding SIP messages.** ")
                    .append("In the recording of registrations, ").append(Report.fmt(encoding, 0))
                    .append(" % of the samples encode JAIN-SIP messages back to text, and ")
                    .append(Report.fmt(coreHop, 0)).append(" % of all samples are one line: `SipContext.coreHop` "
                            + "(sip-module, `signalling/SipContext.java`) encodes every request toward the core only "
                            + "to choose UDP or TCP by its size (RFC 3261 §18.1.1, `UdpSizeLimit`); "
                            + "JAIN-SIP then encodes the same request again to send it, and once more for each relayed "
                            + "response (`Responses.handle`, `WebSocketMessageChannel.sendMessage`). The rest of the "
                            + "gap to Kamailio is the object model itself: every message is parsed into header "
                            + "objects, cloned to forward and encoded again, where Kamailio edits the received buffer "
                            + "in place. **What removes it**: decide the transport from the size the message "
                            + "arrived with plus what the edge adds (or encode once and hand those bytes to the "
                            + "transport), and relay REGISTER and in-dialog requests without re-encoding where "
                            + "JAIN-SIP allows it.");
            explained = true;
        }
        for (Profile p : new Profile[] {calls, registers}) {
            if (p == null) {
                continue;
            }
            List<Profile.Row> others = p.byGatewayFrame().stream()
                    .filter(r -> explainedFrames.stream().noneMatch(r.name()::contains) && r.percent() >= 3)
                    .limit(3).toList();
            if (!others.isEmpty()) {
                t.append("\n\nOther gateway code near many samples of the recording of ")
                        .append(p.workload().split(" offered")[0]).append(": ");
                for (int i = 0; i < others.size(); i++) {
                    t.append(i == 0 ? "" : ", ").append('`').append(others.get(i).name()).append("` (")
                            .append(Report.fmt(others.get(i).percent(), 0)).append(" %)");
                }
                t.append('.');
            }
        }
        if (!explained) {
            for (Profile p : new Profile[] {calls, registers}) {
                if (p == null) {
                    continue;
                }
                Profile.Row top = p.topComponent();
                t.append("\n\nIn the recording of ").append(p.workload().split(" offered")[0]).append(", the "
                        + "largest share of samples is ").append(top.name()).append(" (")
                        .append(Report.fmt(top.percent(), 0)).append(" %)");
                p.topCallers().stream().findFirst().ifPresent(c -> t.append(", nearest gateway code `")
                        .append(c.name()).append('`'));
                t.append(". This run's profile matches none of the causes this report knows how to explain; read "
                        + "the tables below.");
            }
        }
        for (Profile p : new Profile[] {calls, registers}) {
            if (p != null && !p.threadCpu().isEmpty() && p.threadCpuTotal() > 0) {
                double jit = p.threadCpuOf("C1 Compil", "C2 Compil", "C# Compil");
                double gc = p.threadCpuOf("GC Thread", "G# ");
                t.append("\n\nIn the analysed part of the recording of ").append(p.workload().split(" offered")[0])
                        .append(", JIT compiler threads used ").append(Report.fmt(100 * jit / p.threadCpuTotal(), 0))
                        .append(" % and GC threads ").append(Report.fmt(100 * gc / p.threadCpuTotal(), 0))
                        .append(" % of the JVM's CPU (").append(p.gcCount()).append(" pauses, ")
                        .append(Report.fmt(p.gcPauseMillis(), 0)).append(" ms).");
            }
        }
        return t.toString().strip();
    }

    /** Where a sweep stopped, the CPU shares at that step, and what failed. */
    private static void saturation(StringBuilder t, String kind, List<Step> gateway, List<Step> kamailio) {
        if (gateway.isEmpty()) {
            return;
        }
        Step last = gateway.get(gateway.size() - 1);
        Step best = TargetResults.sustained(gateway);
        t.append(t.length() == 0 ? "" : " ").append("The gateway's ").append(kind).append(" sweep ");
        if (last.result().sustained()) {
            t.append("sustained every rate up to ").append(Report.fmt(last.result().offeredRate(), 0)).append("/s.");
            return;
        }
        t.append(best == null ? "sustained none of its rates" : "sustained " + Report.fmt(best.result()
                .offeredRate(), 0) + "/s").append(" and stopped at ").append(Report.fmt(last.result().offeredRate(), 0))
                .append("/s (").append(Report.fmt(last.result().throughput(), 0)).append("/s completed, failures: ")
                .append(last.result().describeFailures()).append(", p99 ").append(Report.fmt(last.result().p99Millis(), 0))
                .append(" ms), with the gateway at ").append(Report.fmt(last.cpuPercent().getOrDefault(
                        "system under test", 0.0), 0)).append(" % of a core and the machine at ")
                .append(Report.fmt(PastCapacity.machinePercent(last), 0))
                .append(" % (of 200 % for 2 CPUs: every process of the run plus anything else running)");
        if (!last.udpDrops().isEmpty()) {
            t.append("; datagrams dropped on full receive buffers: ").append(last.describeDrops());
        }
        t.append('.');
        Optional<Step> kamAtSame = kamailio.stream()
                .filter(s -> s.result().offeredRate() == last.result().offeredRate()).findFirst();
        kamAtSame.ifPresent(k -> t.append(" Kamailio at the same rate: ").append(Report.fmt(k.result().throughput(), 0))
                .append("/s completed, failures: ").append(k.result().describeFailures()).append(", at ")
                .append(Report.fmt(k.cpuPercent().getOrDefault("system under test", 0.0), 0))
                .append(" % of a core."));
    }

    /** Whether the best rate of a sweep held for the longer check. */
    /** Each hold of a search, in the order they ran: the refuted ones too. */
    private static void held(StringBuilder t, String what, List<org.webims.gateway.bench.run.Step> search) {
        for (org.webims.gateway.bench.run.Step hold : search) {
            held(t, what, hold.result());
        }
    }

    private static void held(StringBuilder t, String what, org.webims.gateway.bench.load.StepResult check) {
        t.append(" Held for ").append(Report.fmt(check.elapsedSeconds(), 0)).append(" s at ")
                .append(Report.fmt(check.offeredRate(), 0)).append("/s, ").append(what).append(' ')
                .append(check.sustained() ? "kept up" : "did **not** keep up").append(": ")
                .append(Report.fmt(check.throughput(), 0)).append("/s completed, p50 ")
                .append(Report.fmt(check.p50Millis(), 0)).append(" ms, p99 ").append(Report.fmt(check.p99Millis(), 0))
                .append(" ms, failures: ").append(check.describeFailures()).append('.');
    }

    /** CPU per call and per registration at the same small rates with N and with 10N clients connected. */
    private static void growth(StringBuilder t, TargetResults gw, TargetResults kam) {
        String g = probeGrowth(gw, 1);
        if (g == null) {
            return;
        }
        t.append(" At the same ").append(Report.fmt(gw.probeN.get(1).result().offeredRate(), 0))
                .append(" calls/s, the gateway's CPU per call went from ").append(g);
        String k = kam == null ? null : probeGrowth(kam, 1);
        if (k != null) {
            t.append("; Kamailio's from ").append(k);
        }
        t.append('.');
    }

    private static String probeGrowth(TargetResults r, int index) {
        if (r.probeN.size() <= index || r.probe10N.size() <= index || r.idleN == null || r.idle10N == null) {
            return null;
        }
        return Report.fmt(r.probeN.get(index).sutCpuMsPerOp(), 2) + " ms with " + r.idleN.clients()
                + " registered clients to " + Report.fmt(r.probe10N.get(index).sutCpuMsPerOp(), 2) + " ms with "
                + r.idle10N.clients();
    }

    /** Share of all samples whose nearest gateway frame contains one of the fragments. */
    private static double nearest(Profile p, String... fragments) {
        double share = 0;
        for (Profile.Row r : p.byGatewayFrame()) {
            for (String f : fragments) {
                if (r.name().contains(f)) {
                    share += r.percent();
                    break;
                }
            }
        }
        return share;
    }
}
