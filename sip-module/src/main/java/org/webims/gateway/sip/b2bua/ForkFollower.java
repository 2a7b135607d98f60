package org.webims.gateway.sip.b2bua;

import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.message.Response;
import org.webims.gateway.sip.media.Side;

/**
 * Responses of other early dialogs the core's forking created (RFC 3261 §13.2.2.4, §16.7). The WebRTC leg keeps
 * its one dialog: the IMS leg follows the fork that answered last, so its early media and then its answer reach the
 * client. A 2xx from a fork after the call was answered is acknowledged and ended with BYE.
 */
final class ForkFollower {
    private static final Logger LOG = Logger.getLogger(ForkFollower.class.getName());
    private final LegSignals signals;

    ForkFollower(LegSignals signals) {
        this.signals = signals;
    }

    /** Returns true when the response needs nothing more (a branch that lost). */
    boolean handled(Call call, Leg called, Response response, Dialog dialog) {
        if (dialog == null || dialog == called.dialog || called.side != Side.IMS) {
            return false;
        }
        int status = response.getStatusCode();
        boolean answered = called.inviteClient == null || call.isConfirmed();
        if (answered) {
            if (status / 100 == 2) {
                boolean first = called.releasedBranches.add(dialog.getRemoteTag());
                if (first) {
                    LOG.info(() -> "Releasing a second answer from a forked branch of " + call);
                }
                try {
                    // RFC 3261 §13.2.2.4: each copy is ACKed, the branch ended with one BYE
                    signals.ackAndBye(call, called, dialog, response, first);
                } catch (SipException | InvalidArgumentException | RuntimeException e) {
                    LOG.log(Level.INFO, "Could not release a forked branch of " + call, e); // the call goes on
                }
            }
            return true; // anything else from a branch that lost changes nothing
        }
        if (status >= 300) {
            return false;
        }
        LOG.fine(() -> "Following forked branch " + dialog.getRemoteTag() + " of " + call);
        called.follow(dialog);
        return false;
    }
}
