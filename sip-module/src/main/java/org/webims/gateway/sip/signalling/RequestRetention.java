package org.webims.gateway.sip.signalling;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.stack.SIPTransaction;
import javax.sip.Transaction;
import javax.sip.message.Request;

/**
 * How a finished transaction keeps its request. The stack's default ("Normal", see {@code SipRuntime}) turns it into
 * bytes once the transaction completes and parses those bytes again when it is removed: right for the transactions
 * that stay (an answered INVITE's, kept 64*T1 for forks), pure waste for one removed at once. A non-INVITE
 * transaction on a reliable transport is removed as soon as it completes (Timers J and K are zero, RFC 3261 §17.1.2.2
 * and §17.2.2): its request stays parsed for that moment, which saves an encoding (when its final response goes) and
 * a parse (when it is removed) of each REGISTER, BYE or other such request.
 */
public final class RequestRetention {
    private RequestRetention() {
    }

    /** Has {@code transaction} keep its request parsed when it does not outlive its final response. */
    public static void keepParsedIfShortLived(Transaction transaction) {
        if (transaction instanceof TransactionExt ext && transaction instanceof SIPTransaction sip && sip.isReliable()
                && !Request.INVITE.equals(sip.getMethod())) {
            ext.setReleaseReferencesStrategy(ReleaseReferencesStrategy.None);
        }
    }
}
