package org.webims.gateway.bench.run;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Which rate a workload is held at next: the highest its sweep sustained first; after a hold that did not sustain its
 * rate, the next lower of {@link Plan#holdRates} that is no higher than what that hold completed per second (a rate a
 * hold just failed to carry is not worth 20 s more), at most {@link Plan#MOST_HOLDS} holds. A 4 s step can ride on
 * queues that a longer hold fills: the rate a workload sustains is the one its hold survives.
 */
public final class HoldSearch {
    private final List<Double> candidates;
    private int next;
    private int holds;

    /** @param sustained the rates the sweep sustained, ascending (its first failure left out); may be empty */
    public HoldSearch(List<Double> sustained, double lowestTried) {
        List<Double> rates = Plan.holdRates(sustained);
        this.candidates = rates.isEmpty() ? List.of(lowestTried) : rates;
    }

    /** The first rate to hold. */
    public double first() {
        holds = 1;
        next = 1;
        return candidates.get(0);
    }

    /**
     * After a hold that did not sustain its rate and completed {@code completed} operations per second: the next rate to
     * hold, or empty when no lower candidate is left or {@link Plan#MOST_HOLDS} holds ran.
     */
    public OptionalDouble afterFailure(double completed) {
        if (holds >= Plan.MOST_HOLDS) {
            return OptionalDouble.empty();
        }
        while (next < candidates.size()) {
            double rate = candidates.get(next++);
            if (rate <= completed) {
                holds++;
                return OptionalDouble.of(rate);
            }
        }
        return OptionalDouble.empty();
    }
}
