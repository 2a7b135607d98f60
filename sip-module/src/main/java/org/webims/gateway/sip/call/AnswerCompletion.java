package org.webims.gateway.sip.call;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 3264 §6: an answer has exactly as many m-lines as its offer, a declined stream answered with port 0. Some SIP
 * phones leave out the streams they do not support (an audio-only phone answering an audio and video offer with
 * one m-line); a browser rejects such an answer outright, failing the audio too. This completes the answer with a
 * port-0 m-line for each stream the offer had and the answer lacks.
 */
public final class AnswerCompletion {
    private AnswerCompletion() {}

    public static String complete(String offer, String answer) {
        List<String> offered = mLines(offer);
        List<String> answered = mLines(answer);
        if (offered.size() <= answered.size()) {
            return answer;
        }
        StringBuilder completed = new StringBuilder(answer);
        if (!answer.endsWith("\n")) {
            completed.append("\r\n");
        }
        for (int i = answered.size(); i < offered.size(); i++) {
            String[] f = offered.get(i).substring(2).split(" ");
            String format = f.length > 3 ? f[3] : "0";
            completed.append("m=").append(f[0]).append(" 0 ").append(f.length > 2 ? f[2] : "RTP/AVP")
                    .append(' ').append(format).append("\r\n");
        }
        return completed.toString();
    }

    /**
     * An answer declining every stream of {@code offer}, each m-line at port 0 (RFC 3264 §6): what the ACK of a 2xx
     * whose offer gets no answer carries before the BYE that ends the dialog (RFC 3261 §13.2.2.4).
     */
    public static String declining(String offer) {
        return complete(offer, String.join("\r\n", "v=0", "o=- 0 0 IN IP4 0.0.0.0", "s=-", "c=IN IP4 0.0.0.0",
                "t=0 0", ""));
    }

    private static List<String> mLines(String sdp) {
        List<String> lines = new ArrayList<>();
        for (String line : SdpLines.of(sdp)) {
            if (line.startsWith("m=")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }
}
