package org.webims.gateway.ejb.charging;

import java.time.Instant;
import java.util.List;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.MediaStream;

/**
 * One offline charging record (TS 32.260 §5.2, TS 32.299 §6.1.2) in the gateway's own terms: what the ACR carries,
 * before it is encoded.
 *
 * @param sessionId   the Diameter Session-Id of the record's accounting session (one per call or MESSAGE)
 * @param number      Accounting-Record-Number, 0 for the first record of the session, then one more each
 * @param at          when it happened (Event-Timestamp)
 * @param method      the SIP method the session is about ({@code INVITE}, {@code MESSAGE})
 * @param requestedAt SIP-Request-Timestamp
 * @param answeredAt  SIP-Response-Timestamp, or null
 * @param causeCode   TS 32.299 §7.2.35 Cause-Code of a STOP or EVENT ({@link CauseCode}), or null
 * @param interimSeconds Acct-Interim-Interval to announce (START only), or 0
 */
public record AccountingRecord(String sessionId, AccountingRecordType type, int number, Instant at, String method,
        CallDirection direction, String subscriber, String remote, String provider, String icid, Instant requestedAt,
        Instant answeredAt, List<MediaStream> webrtc, List<MediaStream> ims, Integer causeCode, long interimSeconds) {

    public AccountingRecord {
        webrtc = List.copyOf(webrtc);
        ims = List.copyOf(ims);
    }
}
