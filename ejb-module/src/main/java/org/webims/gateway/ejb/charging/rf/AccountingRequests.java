package org.webims.gateway.ejb.charging.rf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.webims.gateway.ejb.charging.AccountingRecord;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.MediaStream;

/**
 * Encodes an {@link AccountingRecord} as the Rf ACR of TS 32.299 §6.1.2 (RFC 6733 §9.7.1 accounting, application 3):
 * Service-Context-Id {@code 32260@3gpp.org} and Service-Information with Subscription-Id and IMS-Information (§7.2).
 * <p>
 * Two choices of ours, documented in docs/CHARGING.md: the WebRTC provider (the operator's own client or a third party)
 * travels in IMS-Information's Service-Specific-Info with Service-Specific-Type 1 and the provider's id (or
 * {@code operator}) as Service-Specific-Data; each side's media is one SDP-Media-Component per stream, the IMS side with
 * IP-Realm-Default-Indication 1 (the core's realm), the WebRTC side with 0, Transcoder-Inserted-Indication 1 where the
 * two sides share no codec for that kind.
 */
public final class AccountingRequests {
    /** RFC 6733 §2.4: the base accounting application, which Rf uses (TS 32.299 §6.1). */
    public static final long RF_APPLICATION = 3;
    /** TS 32.299 §7.1.12 / TS 32.260: the Service-Context-Id of IMS charging. */
    public static final String IMS_SERVICE_CONTEXT = "32260@3gpp.org";
    /** Service-Specific-Type of the WebRTC provider (ours, operator-defined per TS 32.299 §7.2.196). */
    public static final int PROVIDER_SERVICE_TYPE = 1;
    /** Service-Specific-Data of the operator's own web client. */
    public static final String OPERATOR_PROVIDER = "operator";
    private static final int P_CSCF = 1; // TS 32.299 §7.2.118 Node-Functionality
    private static final int ORIGINATING_ROLE = 0; // §7.2.177 Role-Of-Node
    private static final int TERMINATING_ROLE = 1;
    /** Codecs that are signalling, not media: never a reason to call a side transcoded. */
    private static final Set<String> NOT_MEDIA = Set.of("telephone-event", "cn", "red", "ulpfec", "rtx");

    private final String originHost;
    private final String originRealm;
    private final String destinationRealm;

    public AccountingRequests(String originHost, String originRealm, String destinationRealm) {
        this.originHost = originHost;
        this.originRealm = originRealm;
        this.destinationRealm = destinationRealm;
    }

    public DiameterMessage acr(AccountingRecord record, int endToEnd) {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.utf8(AvpCode.SESSION_ID, record.sessionId()));
        avps.add(Avp.utf8(AvpCode.ORIGIN_HOST, originHost));
        avps.add(Avp.utf8(AvpCode.ORIGIN_REALM, originRealm));
        avps.add(Avp.utf8(AvpCode.DESTINATION_REALM, destinationRealm));
        avps.add(Avp.integer32(AvpCode.ACCOUNTING_RECORD_TYPE, record.type().code));
        avps.add(Avp.unsigned32(AvpCode.ACCOUNTING_RECORD_NUMBER, record.number()));
        avps.add(Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, RF_APPLICATION));
        avps.add(Avp.utf8(AvpCode.USER_NAME, record.subscriber()));
        avps.add(Avp.time(AvpCode.EVENT_TIMESTAMP, record.at()));
        if (record.interimSeconds() > 0) {
            avps.add(Avp.unsigned32(AvpCode.ACCT_INTERIM_INTERVAL, record.interimSeconds()));
        }
        avps.add(Avp.utf8(AvpCode.SERVICE_CONTEXT_ID, IMS_SERVICE_CONTEXT));
        avps.add(Avp.grouped(AvpCode.SERVICE_INFORMATION, List.of(SubscriptionIds.of(record.subscriber()),
                imsInformation(record))));
        return new DiameterMessage(DiameterMessage.ACCOUNTING, true, true, false, false, RF_APPLICATION, 0, endToEnd,
                avps);
    }

    private static Avp imsInformation(AccountingRecord record) {
        boolean originating = record.direction() == CallDirection.ORIGINATING;
        List<Avp> ims = new ArrayList<>();
        ims.add(Avp.grouped(AvpCode.EVENT_TYPE, List.of(Avp.utf8(AvpCode.SIP_METHOD, record.method()))));
        ims.add(Avp.integer32(AvpCode.ROLE_OF_NODE, originating ? ORIGINATING_ROLE : TERMINATING_ROLE));
        ims.add(Avp.integer32(AvpCode.NODE_FUNCTIONALITY, P_CSCF));
        ims.add(Avp.utf8(AvpCode.CALLING_PARTY_ADDRESS, originating ? record.subscriber() : record.remote()));
        ims.add(Avp.utf8(AvpCode.CALLED_PARTY_ADDRESS, originating ? record.remote() : record.subscriber()));
        List<Avp> stamps = new ArrayList<>();
        stamps.add(Avp.time(AvpCode.SIP_REQUEST_TIMESTAMP, record.requestedAt()));
        if (record.answeredAt() != null) {
            stamps.add(Avp.time(AvpCode.SIP_RESPONSE_TIMESTAMP, record.answeredAt()));
        }
        ims.add(Avp.grouped(AvpCode.TIME_STAMPS, stamps));
        ims.add(Avp.utf8(AvpCode.IMS_CHARGING_IDENTIFIER, record.icid()));
        for (MediaStream stream : record.ims()) {
            ims.add(mediaComponent(stream, true, record.webrtc()));
        }
        for (MediaStream stream : record.webrtc()) {
            ims.add(mediaComponent(stream, false, record.ims()));
        }
        if (record.causeCode() != null) {
            ims.add(Avp.integer32(AvpCode.CAUSE_CODE, record.causeCode()));
        }
        ims.add(Avp.grouped(AvpCode.SERVICE_SPECIFIC_INFO, List.of(
                Avp.utf8(AvpCode.SERVICE_SPECIFIC_DATA, record.provider() == null ? OPERATOR_PROVIDER
                        : record.provider()),
                Avp.unsigned32(AvpCode.SERVICE_SPECIFIC_TYPE, PROVIDER_SERVICE_TYPE))));
        return Avp.grouped(AvpCode.IMS_INFORMATION, ims);
    }

    /** TS 32.299 §7.2.164: the m= line's media and one a=rtpmap per codec, as negotiated on that side. */
    private static Avp mediaComponent(MediaStream stream, boolean imsSide, List<MediaStream> otherSide) {
        List<Avp> members = new ArrayList<>();
        members.add(Avp.utf8(AvpCode.SDP_MEDIA_NAME, "m=" + stream.kind() + (stream.active() ? "" : " 0")));
        for (String codec : stream.codecs()) {
            members.add(Avp.utf8(AvpCode.SDP_MEDIA_DESCRIPTION, "a=rtpmap:" + codec));
        }
        members.add(Avp.integer32(AvpCode.IP_REALM_DEFAULT_INDICATION, imsSide ? 1 : 0));
        members.add(Avp.integer32(AvpCode.TRANSCODER_INSERTED_INDICATION, transcoded(stream, otherSide) ? 1 : 0));
        return Avp.grouped(AvpCode.SDP_MEDIA_COMPONENT, members);
    }

    /** Whether the other side's stream of the same kind has no media codec in common with this one. */
    static boolean transcoded(MediaStream stream, List<MediaStream> otherSide) {
        return otherSide.stream().filter(o -> o.kind().equals(stream.kind())).findFirst()
                .map(o -> o.codecs().stream().filter(c -> !NOT_MEDIA.contains(c.toLowerCase()))
                        .noneMatch(c -> stream.codecs().stream().anyMatch(c::equalsIgnoreCase)))
                .orElse(false);
    }
}
