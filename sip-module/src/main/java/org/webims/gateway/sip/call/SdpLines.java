package org.webims.gateway.sip.call;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an SDP body (RFC 4566 §5: CRLF, a lone LF accepted), as {@code sdp.split("\r?\n")} gives them but
 * without compiling a regular expression for each body: every SDP of every call is split several times (issue 14).
 */
public final class SdpLines {
    private SdpLines() {
    }

    /** The lines, trailing empty ones left out (as {@code split("\r?\n")}). */
    public static String[] of(String sdp) {
        return split(sdp, false);
    }

    /** The lines, trailing empty ones kept (as {@code split("\r?\n", -1)}). */
    public static String[] withTrailingEmpty(String sdp) {
        return split(sdp, true);
    }

    private static String[] split(String sdp, boolean keepTrailingEmpty) {
        if (sdp.indexOf('\n') < 0) {
            return new String[] {sdp};
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (true) {
            int lf = sdp.indexOf('\n', start);
            int end = lf < 0 ? sdp.length() : lf;
            boolean cr = lf >= 0 && end > start && sdp.charAt(end - 1) == '\r'; // "\r?\n": one CR, only before LF
            lines.add(sdp.substring(start, cr ? end - 1 : end));
            if (lf < 0) {
                break;
            }
            start = lf + 1;
        }
        int size = lines.size();
        while (!keepTrailingEmpty && size > 0 && lines.get(size - 1).isEmpty()) {
            size--;
        }
        return lines.subList(0, size).toArray(new String[0]);
    }
}
