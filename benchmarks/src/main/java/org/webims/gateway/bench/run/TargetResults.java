package org.webims.gateway.bench.run;

import java.util.ArrayList;
import java.util.List;
import org.webims.gateway.bench.load.StepResult;

/** Everything measured on one system under test. Filled in by {@link BenchmarkRun}, read by the report. */
public final class TargetResults {
    public final String key;
    public final String description;
    public final String liveLabel;
    public Snapshot baseline;
    public StepResult connectN;
    public Snapshot idleN;
    public StepResult connect10N;
    public Snapshot idle10N;
    public StepResult establishM;
    public Snapshot callsM;
    public StepResult establish10M;
    public Snapshot calls10M;
    public StepResult release;
    public final List<Step> registerSweep = new ArrayList<>();
    /** Calls with media anchored in rtpengine. */
    public final List<Step> callSweep = new ArrayList<>();
    /** Calls with SDP passed through; empty when the target cannot do it. */
    public final List<Step> callSweepMediaOff = new ArrayList<>();
    /** Calls with media anchored on the gateway restarted with online and offline charging and a service policy. */
    public final List<Step> callSweepCharging = new ArrayList<>();
    /** {@link #callSweepCharging}'s hold search, as {@link #callHoldSearch} is the sweep without charging's. */
    public final List<Step> callHoldSearchCharging = new ArrayList<>();
    /** Calls that succeeded, unmeasured, while the JIT settled before {@link #callSweepCharging}: charged too. */
    public long chargingUnmeasuredCalls;
    /**
     * What the test CDF and OCS received during {@link #callSweepCharging}, its holds and the JIT settling before it;
     * null when not measured.
     */
    public ChargingCounts chargingCounts;
    /** Steps at multiples of the rate held, after the holds (every one run, failing or not). */
    public final List<Step> callPastCapacity = new ArrayList<>();
    public final List<Step> registerPastCapacity = new ArrayList<>();
    /** JFR of the gateway carrying calls, and carrying registrations, at the rates they held. */
    public Profile callProfile;
    public Profile registerProfile;
    /**
     * Each workload held for longer than a step, without any recording, at its sweep's highest sustained rate and, while
     * a hold refutes its rate, at lower ones ({@link HoldSearch}): in the order they ran, the last the one that
     * held (or the lowest tried, when none did).
     */
    public final List<Step> callHoldSearch = new ArrayList<>();
    public final List<Step> registerHoldSearch = new ArrayList<>();
    /**
     * The gateway's calls held as {@link #callHoldSearch}'s are but at the rate Kamailio held, when the gateway's own
     * search did not try that rate; null otherwise (and for Kamailio).
     */
    public StepResult callCheckAtReference;
    /** Every call hold ({@link #callHoldSearch}, then {@link #callCheckAtReference}) with the CPU over each. */
    public final List<Step> callHolds = new ArrayList<>();
    /** A REGISTER step and a call step at fixed small rates with N, then with 10N, idle clients connected. */
    public final List<Step> probeN = new ArrayList<>();
    public final List<Step> probe10N = new ArrayList<>();
    /** What each added idle client costs, by owner (class or allocation site), bytes per client, largest first. */
    public final java.util.List<Profile.Row> perClient = new ArrayList<>();
    /** What each added established call costs, by owner, bytes per call, largest first. */
    public final java.util.List<Profile.Row> perCall = new ArrayList<>();
    public long uasErrors;
    public final List<String> notes = new ArrayList<>();

    TargetResults(Target target) {
        this.key = target.key();
        this.description = target.description();
        this.liveLabel = target.liveLabel();
    }

    /** The hold a search ended on: the highest rate held, or the lowest tried when none held; null before it ran. */
    public static Step lastHold(List<Step> holdSearch) {
        return holdSearch.isEmpty() ? null : holdSearch.get(holdSearch.size() - 1);
    }

    /**
     * The rate a workload held: the last of its hold search when that held; null when it did not run or no hold held.
     */
    public static Double heldRate(List<Step> holdSearch) {
        Step last = lastHold(holdSearch);
        return last != null && last.result().sustained() ? last.result().offeredRate() : null;
    }

    /** The rates a sweep sustained, ascending: its steps up to the first that did not. */
    static List<Double> sustainedRates(List<Step> sweep) {
        List<Double> rates = new ArrayList<>();
        for (Step s : sweep) {
            if (!s.result().sustained()) {
                break;
            }
            rates.add(s.result().offeredRate());
        }
        return rates;
    }

    /** The last step of a sweep that sustained its rate, or null. */
    public static Step sustained(List<Step> sweep) {
        Step best = null;
        for (Step s : sweep) {
            if (s.result().sustained()) {
                best = s;
            } else {
                break;
            }
        }
        return best;
    }
}
