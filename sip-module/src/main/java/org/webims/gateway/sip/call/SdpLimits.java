package org.webims.gateway.sip.call;

/**
 * What an SDP offer may ask of the media gateway, checked before rtpengine sees it ({@link SdpValidator}). The
 * stream cap times {@code gateway.calls.max-per-connection} bounds the media ports one client connection can hold.
 *
 * @param maxStreams      m-lines in one body ({@code gateway.media.max-streams}; a browser sends audio, video and a
 *                        data channel)
 * @param maxFormats      formats (payload types) on one m-line ({@code gateway.media.max-formats})
 * @param maxBytes        bytes of the whole body ({@code gateway.media.max-sdp-bytes})
 * @param maxLineBytes    bytes of one line, attributes included ({@code gateway.media.max-sdp-line-bytes})
 */
public record SdpLimits(int maxStreams, int maxFormats, int maxBytes, int maxLineBytes) {
    /** The defaults of microprofile-config.properties: room for Chrome's audio, video and data channel offer. */
    public static final SdpLimits DEFAULTS = new SdpLimits(8, 32, 16_384, 1_024);

    public SdpLimits {
        if (maxStreams < 1 || maxFormats < 1 || maxBytes < 64 || maxLineBytes < 64) {
            throw new IllegalArgumentException("SDP limits too small: " + maxStreams + " streams, " + maxFormats
                    + " formats, " + maxBytes + " bytes, " + maxLineBytes + " bytes a line");
        }
    }
}
