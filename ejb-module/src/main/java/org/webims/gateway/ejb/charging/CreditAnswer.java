package org.webims.gateway.ejb.charging;

/**
 * A credit-control answer (RFC 4006 §3.2 CCA) in the gateway's terms.
 *
 * @param resultCode      the Result-Code that decides: the Multiple-Services-Credit-Control's when the message's is a
 *                        success (RFC 4006 §8.16)
 * @param grantedSeconds  Granted-Service-Unit CC-Time, or null
 * @param validitySeconds Validity-Time (§8.33), or null
 * @param thresholdSeconds Time-Quota-Threshold (TS 32.299 §7.2.213), or null
 * @param finalUnits      a Final-Unit-Indication with Final-Unit-Action TERMINATE (§8.34): these are the last units
 * @param failureHandling the Credit-Control-Failure-Handling the OCS set for this session, or null
 * @param sessionResultCode the message's own Result-Code: a success opens the credit-control session at the OCS
 *                        even where the Multiple-Services-Credit-Control refuses the units (RFC 4006 §5.1.2)
 */
public record CreditAnswer(long resultCode, Long grantedSeconds, Long validitySeconds, Long thresholdSeconds,
        boolean finalUnits, FailureHandling failureHandling, long sessionResultCode) {

    /** An answer whose message and units say the same. */
    public CreditAnswer(long resultCode, Long grantedSeconds, Long validitySeconds, Long thresholdSeconds,
            boolean finalUnits, FailureHandling failureHandling) {
        this(resultCode, grantedSeconds, validitySeconds, thresholdSeconds, finalUnits, failureHandling, resultCode);
    }

    /** The OCS keeps a credit-control session for this request: it must be closed with a CCR-TERMINATION. */
    public boolean sessionEstablished() {
        return sessionResultCode >= 2000 && sessionResultCode < 3000;
    }

    public boolean success() {
        return resultCode >= 2000 && resultCode < 3000;
    }

    /**
     * 3xxx: the request did not get through (RFC 6733 §7.1.3, e.g. 3002, 3004), or an answer without a usable
     * Result-Code: a transport failure to RFC 4006 §5.7.
     */
    public boolean protocolError() {
        return resultCode < 2000 || resultCode >= 3000 && resultCode < 4000;
    }
}
