package org.webims.gateway.sip.announce;

import java.util.List;
import java.util.Locale;

/**
 * The national tone plan the gateway's tones follow ({@code gateway.tones.plan}), from ITU-T E.180 Supplement 2: the
 * busy and congestion tones of the cause, and the warning tone played before the last units of credit run out.
 */
public record TonePlan(String name, Tone busy, Tone congestion, Tone warning) {
    private static final Tone WARNING = new Tone(List.of(1400), List.of(200, 200, 200, 200, 200, 1000));

    /** CEPT (most of Europe, ETSI TR 101 041): 425 Hz, busy 0.5 s on 0.5 s off, congestion 0.25 s on 0.25 s off. */
    public static final TonePlan EU = new TonePlan("eu", new Tone(List.of(425), List.of(500, 500)),
            new Tone(List.of(425), List.of(250, 250)), WARNING);
    /** North America: 480 + 620 Hz, busy 0.5 s on 0.5 s off, reorder 0.25 s on 0.25 s off. */
    public static final TonePlan US = new TonePlan("us", new Tone(List.of(480, 620), List.of(500, 500)),
            new Tone(List.of(480, 620), List.of(250, 250)), WARNING);
    /** United Kingdom: 400 Hz, busy 0.375 s on 0.375 s off, congestion 0.4 on 0.35 off 0.225 on 0.525 off. */
    public static final TonePlan UK = new TonePlan("uk", new Tone(List.of(400), List.of(375, 375)),
            new Tone(List.of(400), List.of(400, 350, 225, 525)), WARNING);

    public static TonePlan named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "eu" -> EU;
            case "us" -> US;
            case "uk" -> UK;
            default -> throw new IllegalArgumentException("gateway.tones.plan is eu, us or uk, not '" + name + "'");
        };
    }

    /** The tone of a cause that has one (busy, congestion), or null. */
    public Tone toneOf(FailureCause cause) {
        return switch (cause) {
            case BUSY -> busy;
            case CONGESTION -> congestion;
            default -> null;
        };
    }
}
