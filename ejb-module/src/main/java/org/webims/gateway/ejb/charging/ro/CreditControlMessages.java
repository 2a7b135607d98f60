package org.webims.gateway.ejb.charging.ro;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.ejb.charging.CreditAnswer;
import org.webims.gateway.ejb.charging.CreditRequest;
import org.webims.gateway.ejb.charging.FailureHandling;
import org.webims.gateway.ejb.charging.TerminationCause;
import org.webims.gateway.ejb.charging.rf.AccountingRequests;
import org.webims.gateway.ejb.charging.rf.SubscriptionIds;
import org.webims.gateway.ports.call.CallDirection;

/**
 * The CCR of TS 32.299 §6.4.2 (RFC 4006 §3.1, application 4): Subscription-Id, Service-Context-Id
 * {@code 32260@3gpp.org}, Multiple-Services-Credit-Control with Requested- and Used-Service-Unit (CC-Time), or
 * Requested-Action DIRECT_DEBITING for an event, and IMS-Information; and the CCA read back as a {@link CreditAnswer}.
 */
public final class CreditControlMessages {
    /** RFC 4006 §1.3: the Diameter Credit-Control application. */
    public static final long RO_APPLICATION = 4;
    private static final int DIRECT_DEBITING = 0; // RFC 4006 §8.41 Requested-Action
    private static final int MULTIPLE_SERVICES_SUPPORTED = 1; // RFC 4006 §8.40
    private static final int FINAL_UNIT_TERMINATE = 0; // RFC 4006 §8.35 Final-Unit-Action
    private static final int P_CSCF = 1;

    private final String originHost;
    private final String originRealm;
    private final String destinationRealm;

    public CreditControlMessages(String originHost, String originRealm, String destinationRealm) {
        this.originHost = originHost;
        this.originRealm = originRealm;
        this.destinationRealm = destinationRealm;
    }

    public DiameterMessage ccr(CreditRequest request, int endToEnd) {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.utf8(AvpCode.SESSION_ID, request.sessionId()));
        avps.add(Avp.utf8(AvpCode.ORIGIN_HOST, originHost));
        avps.add(Avp.utf8(AvpCode.ORIGIN_REALM, originRealm));
        avps.add(Avp.utf8(AvpCode.DESTINATION_REALM, destinationRealm));
        avps.add(Avp.unsigned32(AvpCode.AUTH_APPLICATION_ID, RO_APPLICATION));
        avps.add(Avp.utf8(AvpCode.SERVICE_CONTEXT_ID, AccountingRequests.IMS_SERVICE_CONTEXT));
        avps.add(Avp.integer32(AvpCode.CC_REQUEST_TYPE, request.type().code));
        avps.add(Avp.unsigned32(AvpCode.CC_REQUEST_NUMBER, request.number()));
        avps.add(Avp.utf8(AvpCode.USER_NAME, request.subscriber()));
        avps.add(Avp.time(AvpCode.EVENT_TIMESTAMP, request.at()));
        avps.add(SubscriptionIds.of(request.subscriber()));
        if (request.type() == CreditRequest.Type.TERMINATION) {
            avps.add(Avp.integer32(AvpCode.TERMINATION_CAUSE, (request.terminationCause() == null
                    ? TerminationCause.LOGOUT : request.terminationCause()).code)); // RFC 6733 §8.15
        }
        if (request.directDebit()) {
            avps.add(Avp.integer32(AvpCode.REQUESTED_ACTION, DIRECT_DEBITING));
        }
        avps.add(Avp.integer32(AvpCode.MULTIPLE_SERVICES_INDICATOR, MULTIPLE_SERVICES_SUPPORTED));
        List<Avp> mscc = new ArrayList<>();
        if (request.requestedSeconds() > 0) {
            mscc.add(Avp.grouped(AvpCode.REQUESTED_SERVICE_UNIT, List.of(Avp.unsigned32(AvpCode.CC_TIME,
                    request.requestedSeconds()))));
        } else if (request.directDebit()) {
            mscc.add(Avp.grouped(AvpCode.REQUESTED_SERVICE_UNIT, List.of(Avp.unsigned64(
                    AvpCode.CC_SERVICE_SPECIFIC_UNITS, 1)))); // one message
        }
        if (request.usedSeconds() >= 0) {
            mscc.add(Avp.grouped(AvpCode.USED_SERVICE_UNIT, List.of(Avp.unsigned32(AvpCode.CC_TIME,
                    request.usedSeconds()))));
        }
        avps.add(Avp.grouped(AvpCode.MULTIPLE_SERVICES_CREDIT_CONTROL, mscc));
        boolean originating = request.direction() == CallDirection.ORIGINATING;
        List<Avp> ims = new ArrayList<>();
        ims.add(Avp.integer32(AvpCode.NODE_FUNCTIONALITY, P_CSCF));
        ims.add(Avp.grouped(AvpCode.EVENT_TYPE, List.of(Avp.utf8(AvpCode.SIP_METHOD, request.method()))));
        ims.add(Avp.integer32(AvpCode.ROLE_OF_NODE, originating ? 0 : 1));
        ims.add(Avp.utf8(AvpCode.CALLING_PARTY_ADDRESS, originating ? request.subscriber() : request.remote()));
        ims.add(Avp.utf8(AvpCode.CALLED_PARTY_ADDRESS, originating ? request.remote() : request.subscriber()));
        ims.add(Avp.utf8(AvpCode.IMS_CHARGING_IDENTIFIER, request.icid()));
        ims.add(Avp.grouped(AvpCode.SERVICE_SPECIFIC_INFO, List.of(
                Avp.utf8(AvpCode.SERVICE_SPECIFIC_DATA, request.provider() == null
                        ? AccountingRequests.OPERATOR_PROVIDER : request.provider()),
                Avp.unsigned32(AvpCode.SERVICE_SPECIFIC_TYPE, AccountingRequests.PROVIDER_SERVICE_TYPE))));
        avps.add(Avp.grouped(AvpCode.SERVICE_INFORMATION, List.of(Avp.grouped(AvpCode.IMS_INFORMATION, ims))));
        return new DiameterMessage(DiameterMessage.CREDIT_CONTROL, true, true, false, false, RO_APPLICATION, 0,
                endToEnd, avps);
    }

    /** The CCA's decision (RFC 4006 §3.2), the Multiple-Services-Credit-Control's where there is one. */
    public static CreditAnswer answer(DiameterMessage cca) throws MalformedMessage {
        long session = unsigned(cca.avps(), AvpCode.RESULT_CODE).orElse(-1L);
        long result = session;
        List<Avp> units = cca.avps();
        Optional<Avp> mscc = cca.first(AvpCode.MULTIPLE_SERVICES_CREDIT_CONTROL);
        if (mscc.isPresent()) {
            units = mscc.get().members();
            if (result >= 2000 && result < 3000) {
                result = unsigned(units, AvpCode.RESULT_CODE).orElse(result);
            }
        }
        Long granted = null;
        Optional<Avp> gsu = first(units, AvpCode.GRANTED_SERVICE_UNIT);
        if (gsu.isPresent()) {
            granted = unsigned(gsu.get().members(), AvpCode.CC_TIME).orElse(null);
        }
        boolean finalUnits = false;
        Optional<Avp> fui = first(units, AvpCode.FINAL_UNIT_INDICATION);
        if (fui.isPresent()) {
            Optional<Avp> action = first(fui.get().members(), AvpCode.FINAL_UNIT_ACTION);
            finalUnits = action.isEmpty() || action.get().integer32() == FINAL_UNIT_TERMINATE;
        }
        Long handling = unsigned(cca.avps(), AvpCode.CREDIT_CONTROL_FAILURE_HANDLING).orElse(null);
        return new CreditAnswer(result, granted, unsigned(units, AvpCode.VALIDITY_TIME).orElse(null),
                unsigned(units, AvpCode.TIME_QUOTA_THRESHOLD).orElse(null), finalUnits,
                handling == null ? null : FailureHandling.of(handling), session);
    }

    private static Optional<Avp> first(List<Avp> avps, AvpCode code) {
        return avps.stream().filter(a -> a.is(code)).findFirst();
    }

    private static Optional<Long> unsigned(List<Avp> avps, AvpCode code) throws MalformedMessage {
        Optional<Avp> avp = first(avps, code);
        return avp.isPresent() ? Optional.of(avp.get().unsigned32()) : Optional.empty();
    }
}
