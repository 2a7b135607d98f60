package org.webims.gateway.sip.media;

import java.util.List;
import java.util.Objects;

/**
 * Which codecs the gateway adds by transcoding so that both sides find one in common (TS 23.228 Annex U: the
 * eIMS-AGW may transcode). An Opus-only browser reaches an AMR-WB, AMR or PCMU-only phone when those are added
 * toward IMS; an AMR-WB-only phone reaches the browser when Opus or PCMU is added toward WebRTC. The codecs a side
 * offers itself always stay first, so a common codec is relayed untranscoded. Audio only: video is relayed when both
 * sides share a codec and otherwise declined by the answerer, without failing the audio.
 *
 * @param transcodeTowardIms    codecs added to offers sent toward IMS, by rtpengine name (e.g. "AMR-WB",
 *                              "telephone-event" for RFC 4733 events at the added codecs' clock rates)
 * @param maskTowardIms         codecs the browser offers but the offer toward IMS hides (rtpengine "mask"); they are
 *                              still accepted from the browser and transcoded. Empty by default: an IMS phone that
 *                              also speaks Opus gets it without transcoding
 * @param transcodeTowardWebrtc codecs added to offers sent toward the browser
 */
public record CodecPolicy(List<String> transcodeTowardIms, List<String> maskTowardIms,
        List<String> transcodeTowardWebrtc) {

    /** Narrowband and wideband IMS codecs toward IMS; Opus and PCMU toward the browser. */
    public static final List<String> IMS_CODECS = List.of("PCMU", "PCMA", "AMR-WB", "AMR", "telephone-event");
    public static final List<String> WEBRTC_CODECS = List.of("opus", "PCMU");

    public CodecPolicy {
        transcodeTowardIms = List.copyOf(Objects.requireNonNull(transcodeTowardIms, "transcodeTowardIms"));
        maskTowardIms = List.copyOf(Objects.requireNonNull(maskTowardIms, "maskTowardIms"));
        transcodeTowardWebrtc = List.copyOf(Objects.requireNonNull(transcodeTowardWebrtc, "transcodeTowardWebrtc"));
    }

    /** No transcoding: each side sees only what the other offered. */
    public static CodecPolicy passthrough() {
        return new CodecPolicy(List.of(), List.of(), List.of());
    }

    /** {@link #IMS_CODECS} toward IMS, {@link #WEBRTC_CODECS} toward the browser, nothing masked. */
    public static CodecPolicy interworking() {
        return new CodecPolicy(IMS_CODECS, List.of(), WEBRTC_CODECS);
    }

    /** Codecs added toward {@code side}. */
    public List<String> transcodeToward(Side side) {
        return side == Side.IMS ? transcodeTowardIms : transcodeTowardWebrtc;
    }

    /**
     * Codecs added to a re-offer toward {@code side} within an established session (RFC 3264 §8: hold, resume,
     * a new offer after an offerless re-INVITE). Only the codecs that side is using now ({@code inUse}, from its
     * last answer) and the re-offer lacks are added: the session keeps its codec, and when the re-offer already
     * carries it the media stays relayed untranscoded while the offer is pending. Adding every interworking codec
     * again would make the media gateway transcode in the meantime, with a new SSRC that a browser drops for the
     * rest of the call.
     */
    public List<String> retranscodeToward(Side side, List<String> inUse, List<String> offered) {
        return transcodeToward(side).stream()
                .filter(codec -> containsIgnoreCase(inUse, codec) && !containsIgnoreCase(offered, codec))
                .toList();
    }

    private static boolean containsIgnoreCase(List<String> names, String name) {
        return names.stream().anyMatch(name::equalsIgnoreCase);
    }

    /** Codecs hidden toward {@code side}. */
    public List<String> maskToward(Side side) {
        return side == Side.IMS ? maskTowardIms : List.of();
    }
}
