package org.webims.gateway.bench.run;

import java.time.Instant;
import java.util.List;

/**
 * What a soak measured: the samples under load, then what was left once the load stopped.
 *
 * @param began          when the load began
 * @param minutes        how long it ran
 * @param callRate       calls per second offered throughout (media anchored)
 * @param registerRate   re-registrations per second offered throughout
 * @param rateSource     where the rates come from (options, the last report, or the fixed defaults)
 * @param clients        registered clients the load ran over
 * @param warmUp         the first window at the same rates, not judged (the JIT and the heap's sizing settle)
 * @param samples        one per window after it
 * @param callsLeft      live calls on the gateway after the load stopped and settled, -1 if unread
 * @param sessionsLeft   rtpengine sessions after the load stopped and settled, -1 if unread
 * @param logErrors      SEVERE and ERROR lines of the gateway's server.log over the whole soak
 * @param logExamples    the first few of them
 */
public record SoakResult(Instant began, int minutes, double callRate, double registerRate, String rateSource,
        int clients, SoakSample warmUp, List<SoakSample> samples, int callsLeft, int sessionsLeft, long logErrors,
        List<String> logExamples) {

    /** Tolerance of a flat heap: the larger of this share of the baseline and {@link #TOLERANCE_BYTES}. */
    public static final double TOLERANCE_SHARE = 0.10;
    public static final long TOLERANCE_BYTES = 16L * 1024 * 1024;
    /**
     * The heap baseline is the first reading at or after this many minutes (or half the soak, if shorter), else the
     * last reading before the end.
     */
    public static final double BASELINE_MINUTES = 5;

    /**
     * The sample the end is compared with, a reading before the end's: the first at or after
     * {@link #BASELINE_MINUTES} (or half the soak), else the last before that; null without one.
     */
    public SoakSample baseline() {
        double at = Math.min(BASELINE_MINUTES, minutes / 2.0);
        SoakSample end = end();
        if (end == null) {
            return null;
        }
        List<SoakSample> before = read().filter(s -> s != end).toList();
        return before.stream().filter(s -> s.minutes() >= at).findFirst()
                .orElse(before.isEmpty() ? null : before.get(before.size() - 1));
    }

    /** The last sample under load when its heap was read; null otherwise (a soak unread at its end is not judged). */
    public SoakSample end() {
        SoakSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        return last != null && last.heapBytes() >= 0 ? last : null;
    }

    private java.util.stream.Stream<SoakSample> read() {
        return samples.stream().filter(s -> s.heapBytes() >= 0);
    }

    /** Heap after GC at the end within the tolerance of the baseline, two different readings apart. */
    public boolean heapFlat() {
        return heapRead() && flat(baseline().heapBytes(), end().heapBytes());
    }

    /** Whether the heap was read at the end and before it, so that flat or growing means something. */
    public boolean heapRead() {
        return baseline() != null;
    }

    static boolean flat(long baselineBytes, long endBytes) {
        if (baselineBytes < 0 || endBytes < 0) {
            return false;
        }
        long tolerance = Math.max((long) (baselineBytes * TOLERANCE_SHARE), TOLERANCE_BYTES);
        return endBytes <= baselineBytes + tolerance;
    }

    /** Failed operations over every window. */
    public long errors() {
        return samples.stream().mapToLong(SoakSample::errors).sum();
    }

    /** Heap flat, nothing left over, no failed operation and no error in the log. */
    public boolean clean() {
        return heapFlat() && callsLeft == 0 && sessionsLeft == 0 && errors() == 0 && logErrors == 0;
    }
}
