package org.webims.gateway.sip.announce;

import java.util.List;

/**
 * A supervisory tone (ITU-T E.180): one or more frequencies played together, switched on and off by a cadence
 * (milliseconds on, off, on, off ...; one value: continuous).
 */
public record Tone(List<Integer> frequenciesHz, List<Integer> cadenceMs) {
    public Tone {
        frequenciesHz = List.copyOf(frequenciesHz);
        cadenceMs = List.copyOf(cadenceMs);
        if (frequenciesHz.isEmpty() || cadenceMs.isEmpty()) {
            throw new IllegalArgumentException("a tone needs a frequency and a cadence");
        }
    }

    /** One period of the cadence in milliseconds. */
    public int periodMs() {
        return cadenceMs.stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether the tone sounds at {@code ms} from its start. */
    public boolean onAt(long ms) {
        if (cadenceMs.size() == 1) {
            return true;
        }
        long t = ms % periodMs();
        for (int i = 0; i < cadenceMs.size(); i++) {
            if (t < cadenceMs.get(i)) {
                return i % 2 == 0;
            }
            t -= cadenceMs.get(i);
        }
        return false;
    }
}
