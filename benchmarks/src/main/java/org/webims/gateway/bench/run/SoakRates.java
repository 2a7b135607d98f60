package org.webims.gateway.bench.run;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steady load of a soak: half of the gateway's capacity, from the options, else from the rates it held in the last
 * docs/BENCHMARKS.md (calls and registrations run together, so each at a quarter of the rate it held alone: half of
 * each together was the whole capacity, and a first try collapsed), else fixed.
 *
 * @param callRate     calls per second
 * @param registerRate re-registrations per second
 * @param source       where they come from, for the report
 */
public record SoakRates(double callRate, double registerRate, String source) {
    static final double DEFAULT_CALLS = 100;
    static final double DEFAULT_REGISTERS = 300;
    /** The summary's hold rows: the gateway's cell (the first) names the rate it held after "held at" (not "not held at"). */
    private static final Pattern REGISTER_ROW = heldRow("REGISTER");
    private static final Pattern CALL_ROW = heldRow("calls");

    private static Pattern heldRow(String what) {
        return Pattern.compile("^\\| " + what + ": highest rate held[^|]*\\|[^|]*?(?<!not )held at (\\d+(?:\\.\\d+)?)/s",
                Pattern.MULTILINE);
    }

    /**
     * Options win; a rate not given is a quarter of the rate the gateway held in {@code report} (the markdown of the last
     * full run: both loads together are half the capacity), or the fixed default when the report has none.
     */
    public static SoakRates of(Double callOption, Double registerOption, String report) {
        Optional<Double> calls = gatewayRate(CALL_ROW, report);
        Optional<Double> registers = gatewayRate(REGISTER_ROW, report);
        double c = callOption != null ? callOption : calls.map(r -> Math.max(1, Math.floor(r / 4))).orElse(DEFAULT_CALLS);
        double g = registerOption != null ? registerOption
                : registers.map(r -> Math.max(1, Math.floor(r / 4))).orElse(DEFAULT_REGISTERS);
        String source;
        if (callOption != null && registerOption != null) {
            source = "given as options";
        } else if (calls.isPresent() && registers.isPresent()) {
            source = (callOption != null || registerOption != null ? "partly given as options, otherwise " : "")
                    + "a quarter of each of the rates the gateway held in docs/BENCHMARKS.md, half its capacity "
                    + "together (" + fmt(calls.get()) + " calls/s, " + fmt(registers.get()) + " REGISTER/s)";
        } else {
            source = "the fixed defaults (" + fmt(DEFAULT_CALLS) + " calls/s, " + fmt(DEFAULT_REGISTERS)
                    + " REGISTER/s) where not given as options";
        }
        return new SoakRates(c, g, source);
    }

    /** The rate the gateway held, from its cell (the first) of a hold row; empty when it held none. */
    static Optional<Double> gatewayRate(Pattern row, String report) {
        if (report == null) {
            return Optional.empty();
        }
        Matcher m = row.matcher(report);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /**
     * Clients enough that no operation waits for one: each call keeps one busy for its hold plus its setup, each
     * registration for its round trips; three times that, and at least 200.
     */
    int clients(Duration hold) {
        double busy = callRate * (hold.toMillis() / 1000.0 + 1) + registerRate * 0.5;
        return (int) Math.max(200, Math.ceil(3 * busy));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
