package org.webims.gateway.it.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a fuzz run counted, thread-safe: inputs (by seed method, by mutation, binary), final and provisional answers
 * by status code, inputs left without an answer, connections the server closed (by close code), and a bounded
 * number of samples of the inputs behind the unusual outcomes.
 */
public final class FuzzStats {
    private static final int MAX_SAMPLES = 50;

    final LongAdder inputs = new LongAdder();
    final LongAdder binaryInputs = new LongAdder();
    final LongAdder uncorrelated = new LongAdder();
    final LongAdder noAnswer = new LongAdder();
    final LongAdder lostWithConnection = new LongAdder();
    final LongAdder unmatchedAnswers = new LongAdder();
    final LongAdder requestsFromGateway = new LongAdder();
    final LongAdder unparsableFromGateway = new LongAdder();
    private final Map<String, LongAdder> bySeedMethod = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byMutation = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> finals = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> provisionals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> noAnswerBySeedMethod = new ConcurrentHashMap<>();
    final LongAdder acks = new LongAdder();
    private final List<String> noAnswerSamples = new ArrayList<>();
    private final List<String> closeSamples = new ArrayList<>();
    private final List<String> serverErrorSamples = new ArrayList<>();

    void sent(FuzzInput input) {
        inputs.increment();
        if (input.binary()) {
            binaryInputs.increment();
        }
        bySeedMethod.computeIfAbsent(input.seedMethod(), k -> new LongAdder()).increment();
        for (String m : input.mutations().split("\\+")) {
            byMutation.computeIfAbsent(m, k -> new LongAdder()).increment();
        }
        if (input.callId() == null) {
            uncorrelated.increment();
        }
    }

    void answer(int status, String statusLine, boolean matched, InFlight input) {
        LongAdder count = (status < 200 ? provisionals : finals).computeIfAbsent(status, k -> new LongAdder());
        count.increment();
        if (status >= 200 && !matched) {
            unmatchedAnswers.increment();
        }
        // 501 to SUBSCRIBE/REFER is by design; other 5xx show where something behind the gateway failed
        if (status >= 500 && status != 501 && input != null && count.sum() <= 10) {
            sample(serverErrorSamples, statusLine + " to " + input);
        }
    }

    void noAnswer(InFlight input) {
        noAnswer.increment();
        noAnswerBySeedMethod.computeIfAbsent(input.seedMethod(), k -> new LongAdder()).increment();
        sample(noAnswerSamples, input.toString());
    }

    void closedByServer(String code, String lastInput) {
        closes.computeIfAbsent(code, k -> new LongAdder()).increment();
        sample(closeSamples, "close " + code + " after " + lastInput);
    }

    public long inputs() {
        return inputs.sum();
    }

    public long noAnswers() {
        return noAnswer.sum();
    }

    public long finals(int status) {
        LongAdder n = finals.get(status);
        return n == null ? 0 : n.sum();
    }

    public long closedByServer() {
        return closes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts as report lines. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("inputs: " + inputs.sum() + " (" + binaryInputs.sum() + " in binary frames)");
        out.add("inputs by seed method: " + sorted(bySeedMethod));
        out.add("inputs by mutation: " + sorted(byMutation));
        out.add("final answers by status: " + sorted(finals) + " (" + unmatchedAnswers.sum()
                + " of them to a Call-ID no input in flight carried)");
        out.add("provisional answers by status: " + sorted(provisionals));
        out.add("inputs without an answer within the bound (Call-ID intact): " + noAnswer.sum() + " by seed method "
                + sorted(noAnswerBySeedMethod) + "; ACKs (no answer expected, RFC 3261 §17.1.1.3): " + acks.sum());
        out.add("inputs with no Call-ID left to match an answer: " + uncorrelated.sum());
        out.add("inputs in flight when the server closed their connection: " + lostWithConnection.sum());
        out.add("connections closed by the server: " + closedByServer() + " by code " + sorted(closes));
        out.add("requests from the gateway to fuzz clients (answered): " + requestsFromGateway.sum()
                + "; messages from the gateway the test client could not parse: " + unparsableFromGateway.sum());
        return out;
    }

    /** Samples of the inputs behind unusual outcomes, as report lines. */
    List<String> samples() {
        List<String> out = new ArrayList<>();
        synchronized (this) {
            add(out, "inputs without an answer", noAnswerSamples);
            add(out, "inputs answered 5xx other than 501 (up to 10 per status)", serverErrorSamples);
            add(out, "connections closed by the server, with the last input sent on them", closeSamples);
        }
        return out;
    }

    private static void add(List<String> out, String title, List<String> samples) {
        out.add("== " + title + " (first " + samples.size() + ")");
        samples.forEach(s -> out.add("-- " + s));
    }

    private synchronized void sample(List<String> samples, String text) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(text);
        }
    }

    private static <K extends Comparable<K>> Map<K, Long> sorted(Map<K, LongAdder> counts) {
        Map<K, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** An input waiting for its answer: when it was sent and what it was. */
    record InFlight(long sentNanos, long index, String seedMethod, String mutations, boolean binary,
                    String preview) {
        @Override
        public String toString() {
            return "input #" + index + " (" + seedMethod + ", " + mutations + (binary ? ", binary" : "") + "):\n"
                    + preview;
        }
    }
}
