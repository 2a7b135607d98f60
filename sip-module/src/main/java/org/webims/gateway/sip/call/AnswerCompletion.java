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
