package org.webims.gateway.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.bench.run.Step;
import org.webims.gateway.bench.run.TargetResults;

/**
 * The past-capacity figures of one workload on one target: the peak goodput (successful operations per second) of its
 * sweep, holds and past-capacity steps, the goodput of the last past-capacity step (twice the rate held) against it,
 * and the chart of goodput and refusals against offered load.
 */
final class PastCapacity {
    private static final Color GOODPUT = new Color(31, 119, 180);
    private static final Color REFUSED = new Color(214, 39, 40);
    private static final Color RETRY_AFTER = new Color(255, 152, 150);
    private static final Color TIMEOUTS = new Color(127, 127, 127);

    private PastCapacity() {}

    /**
     * The highest goodput of the holds, the past-capacity steps and the sweep's steps up to the rate the holds ended on;
     * NaN when none ran. Above that rate only windows as long as a hold count: the holds (refuted ones included) and the
     * past-capacity steps; a 4 s sweep step there (one a hold refuted, or one the sweep itself failed) may have ridden
     * on queues a longer window fills.
     */
    static double peakGoodput(List<Step> sweep, List<Step> holds, List<Step> past) {
        Step last = TargetResults.lastHold(holds);
        double base = last == null ? Double.POSITIVE_INFINITY : last.result().offeredRate();
        double peak = Double.NaN;
        for (Step s : sweep) {
            if (s.result().offeredRate() <= base) {
                peak = max(peak, s.result().throughput());
            }
        }
        for (Step s : holds) {
            peak = max(peak, s.result().throughput());
        }
        for (Step s : past) {
            peak = max(peak, s.result().throughput());
        }
        return peak;
    }

    /** Goodput of the last past-capacity step (the highest offered) over the peak; NaN when not measured. */
    static double lastOverPeak(List<Step> sweep, List<Step> holds, List<Step> past) {
        double peak = peakGoodput(sweep, holds, past);
        if (past.isEmpty() || !(peak > 0)) {
            return Double.NaN;
        }
        return past.get(past.size() - 1).result().throughput() / peak;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Math.max(a, b);
    }

    /** Sweep and past-capacity steps in order of offered rate: one curve from well under capacity to twice it. */
    static List<Step> curve(List<Step> sweep, List<Step> past) {
        List<Step> all = new ArrayList<>(sweep);
        all.addAll(past);
        all.sort(Comparator.comparingDouble(s -> s.result().offeredRate()));
        return all;
    }

    /** One row of panels per target: calls, then registrations; goodput, 503s (all, with Retry-After), timeouts. */
    static void writeChart(Path png, List<TargetResults> results, int cores) throws IOException {
        List<Chart.Panel> panels = new ArrayList<>();
        for (TargetResults r : results) {
            String who = r.key.equals("gateway") ? "gateway" : "Kamailio + rtpengine";
            panels.add(panel(who + ": calls, media anchored", "offered calls/s", curve(r.callSweep,
                    r.callPastCapacity)));
            panels.add(panel(who + ": REGISTER with digest", "offered registrations/s", curve(r.registerSweep,
                    r.registerPastCapacity)));
        }
        Chart.write(png, "Past capacity: goodput and refusals against offered load, up to twice the rate held ("
                + cores + " CPUs)", panels, 2);
    }

    private static Chart.Panel panel(String title, String xLabel, List<Step> steps) {
        return new Chart.Panel(title, xLabel, "per second", false, true, List.of(
                series("goodput (succeeded/s)", steps, StepResult::throughput, GOODPUT, false),
                series("refused 503/s", steps, x -> x.perSecond(x.refused503()), REFUSED, true),
                series("of which with Retry-After", steps, x -> x.perSecond(x.refused503WithRetryAfter()),
                        RETRY_AFTER, true),
                series("timeouts/s", steps, x -> x.perSecond(x.timeouts()), TIMEOUTS, true)));
    }

    private static Chart.Series series(String name, List<Step> steps, Function<StepResult, Double> perSecond,
            Color color, boolean dashed) {
        return new Chart.Series(name, steps.stream().map(s -> new double[] {s.result().offeredRate(),
                perSecond.apply(s.result())}).toList(), color, dashed);
    }

    /**
     * What the whole machine spent in a step, in % of one core: every group but the "of which" parts of another (a
     * refusal costs the machine the client's request and its reading of the 503 too, not only the server's answer).
     */
    public static double machinePercent(Step s) {
        return s.cpuPercent().entrySet().stream().filter(e -> !e.getKey().startsWith("of which"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
