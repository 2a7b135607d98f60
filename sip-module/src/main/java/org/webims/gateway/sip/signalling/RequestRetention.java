package org.webims.gateway.sip.signalling;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransaction;
import javax.sip.ClientTransaction;
import javax.sip.Transaction;
import javax.sip.message.Request;

/**
 * How a finished transaction keeps its request. The stack's default ("Normal", see {@code SipRuntime}) turns it into
 * bytes once the transaction completes and parses those bytes again when it is removed: right for the transactions
 * that stay (an answered INVITE's, kept 64*T1 for forks), pure waste for one removed soon after. These keep their
 * request (and their last response) parsed instead, which saves an encoding (when the final response comes or goes)
 * and a parse (when the transaction is removed):
 * <ul>
 * <li>a non-INVITE transaction on a reliable transport, removed as soon as it completes (Timers J and K are zero,
 * RFC 3261 §17.1.2.2 and §17.2.2): each REGISTER, BYE or other such request from a WebRTC client;</li>
 * <li>a non-INVITE client transaction within a dialog (its To has a tag) on UDP, removed T4 after its final response
 * (Timer K, §17.1.2.2): the B2BUA's BYE, PRACK or UPDATE toward the core, a few per call, so held parsed for T4 at
 * the call rate.</li>
 * </ul>
 * An out-of-dialog non-INVITE client transaction on UDP (each REGISTER toward the core, at many times the call rate;
 * also the core keepalive's OPTIONS, a client's MESSAGE, SUBSCRIBE or PUBLISH, a guest's de-registration, a CANCEL)
 * lets go of its request when its final response has been handled ("Aggressive"; a CANCEL keeps it until Timer K
 * removes it, a SUBSCRIBE also its last response): in Timer K it only absorbs retransmitted responses, which it matches
 * by the branch and method it keeps (§17.1.3), and the proxy reads what it needs of the request within the stack's
 * call of the listener (re-entrant: before the stack lets go) or from its own reference ({@code ProxiedTransaction}); a
 * timeout that races the answer finds no request and is dropped ({@code EdgeProxy.processTimeout}). Kept as bytes, its
 * request cost an encoding at the response and a full parse on the timer thread when Timer K removed it: a fifth of
 * all the gateway's allocation under REGISTER load (issue 14).
 * Server transactions on UDP (Timer J, 64*T1) keep bytes.
 */
public final class RequestRetention {
    private RequestRetention() {
    }

    /** Sets how {@code transaction} keeps its request once it completes, by how long it outlives its answer. */
    public static void applyTo(Transaction transaction) {
        if (!(transaction instanceof TransactionExt ext && transaction instanceof SIPTransaction sip)
                || Request.INVITE.equals(sip.getMethod())) {
            return;
        }
        if (sip.isReliable() || transaction instanceof ClientTransaction && withinDialog(sip)) {
            ext.setReleaseReferencesStrategy(ReleaseReferencesStrategy.None);
        } else if (transaction instanceof ClientTransaction) {
            ext.setReleaseReferencesStrategy(ReleaseReferencesStrategy.Aggressive);
        }
    }

    private static boolean withinDialog(SIPTransaction transaction) {
        return transaction.getRequest() instanceof SIPRequest request && request.getToTag() != null;
    }
}
