package org.webims.gateway.diameter.codec;

/**
 * An AVP's identity: its code and vendor (0 for IETF AVPs), and whether the gateway sets the M bit when it sends it.
 * The constants are those the gateway's applications use, each with the document that defines it.
 */
public record AvpCode(String name, int code, long vendorId, boolean mandatory) {
    /** 3GPP's IANA enterprise number (TS 29.230). */
    public static final long VENDOR_3GPP = 10415;

    // RFC 6733 §4.5, the base protocol
    public static final AvpCode ACCT_INTERIM_INTERVAL = ietf("Acct-Interim-Interval", 85);
    public static final AvpCode ACCOUNTING_RECORD_NUMBER = ietf("Accounting-Record-Number", 485);
    public static final AvpCode ACCOUNTING_RECORD_TYPE = ietf("Accounting-Record-Type", 480);
    public static final AvpCode ACCT_APPLICATION_ID = ietf("Acct-Application-Id", 259);
    public static final AvpCode AUTH_APPLICATION_ID = ietf("Auth-Application-Id", 258);
    public static final AvpCode DESTINATION_HOST = ietf("Destination-Host", 293);
    public static final AvpCode DESTINATION_REALM = ietf("Destination-Realm", 283);
    public static final AvpCode DISCONNECT_CAUSE = ietf("Disconnect-Cause", 273);
    public static final AvpCode ERROR_MESSAGE = new AvpCode("Error-Message", 281, 0, false);
    public static final AvpCode FAILED_AVP = ietf("Failed-AVP", 279);
    public static final AvpCode FIRMWARE_REVISION = new AvpCode("Firmware-Revision", 267, 0, false);
    public static final AvpCode HOST_IP_ADDRESS = ietf("Host-IP-Address", 257);
    public static final AvpCode ORIGIN_HOST = ietf("Origin-Host", 264);
    public static final AvpCode ORIGIN_REALM = ietf("Origin-Realm", 296);
    public static final AvpCode ORIGIN_STATE_ID = ietf("Origin-State-Id", 278);
    public static final AvpCode PRODUCT_NAME = new AvpCode("Product-Name", 269, 0, false);
    public static final AvpCode RESULT_CODE = ietf("Result-Code", 268);
    public static final AvpCode SESSION_ID = ietf("Session-Id", 263);
    public static final AvpCode SUPPORTED_VENDOR_ID = ietf("Supported-Vendor-Id", 265);
    public static final AvpCode USER_NAME = ietf("User-Name", 1);
    public static final AvpCode VENDOR_ID = ietf("Vendor-Id", 266);
    public static final AvpCode VENDOR_SPECIFIC_APPLICATION_ID = ietf("Vendor-Specific-Application-Id", 260);
    public static final AvpCode EXPERIMENTAL_RESULT = ietf("Experimental-Result", 297);
    public static final AvpCode EXPERIMENTAL_RESULT_CODE = ietf("Experimental-Result-Code", 298);
    public static final AvpCode EVENT_TIMESTAMP = ietf("Event-Timestamp", 55);
    // RFC 4006 §8, credit control (Ro)
    public static final AvpCode CC_REQUEST_NUMBER = ietf("CC-Request-Number", 415);
    public static final AvpCode CC_REQUEST_TYPE = ietf("CC-Request-Type", 416);
    public static final AvpCode CC_TIME = ietf("CC-Time", 420);
    public static final AvpCode CC_SERVICE_SPECIFIC_UNITS = ietf("CC-Service-Specific-Units", 417);
    public static final AvpCode MULTIPLE_SERVICES_INDICATOR = ietf("Multiple-Services-Indicator", 455);
    public static final AvpCode TERMINATION_CAUSE = ietf("Termination-Cause", 295);
    public static final AvpCode CREDIT_CONTROL_FAILURE_HANDLING = ietf("Credit-Control-Failure-Handling", 427);
    public static final AvpCode FINAL_UNIT_INDICATION = ietf("Final-Unit-Indication", 430);
    public static final AvpCode FINAL_UNIT_ACTION = ietf("Final-Unit-Action", 449);
    public static final AvpCode GRANTED_SERVICE_UNIT = ietf("Granted-Service-Unit", 431);
    public static final AvpCode MULTIPLE_SERVICES_CREDIT_CONTROL = ietf("Multiple-Services-Credit-Control", 456);
    public static final AvpCode REQUESTED_ACTION = ietf("Requested-Action", 436);
    public static final AvpCode REQUESTED_SERVICE_UNIT = ietf("Requested-Service-Unit", 437);
    public static final AvpCode SERVICE_CONTEXT_ID = ietf("Service-Context-Id", 461);
    public static final AvpCode SUBSCRIPTION_ID = ietf("Subscription-Id", 443);
    public static final AvpCode SUBSCRIPTION_ID_DATA = ietf("Subscription-Id-Data", 444);
    public static final AvpCode SUBSCRIPTION_ID_TYPE = ietf("Subscription-Id-Type", 450);
    public static final AvpCode USED_SERVICE_UNIT = ietf("Used-Service-Unit", 446);
    public static final AvpCode VALIDITY_TIME = ietf("Validity-Time", 448);
    // TS 32.299 §7.2, 3GPP charging
    public static final AvpCode IMS_INFORMATION = tgpp("IMS-Information", 876);
    public static final AvpCode SERVICE_INFORMATION = tgpp("Service-Information", 873);
    public static final AvpCode NODE_FUNCTIONALITY = tgpp("Node-Functionality", 862);
    public static final AvpCode ROLE_OF_NODE = tgpp("Role-Of-Node", 829);
    public static final AvpCode CALLING_PARTY_ADDRESS = tgpp("Calling-Party-Address", 831);
    public static final AvpCode CALLED_PARTY_ADDRESS = tgpp("Called-Party-Address", 832);
    public static final AvpCode TIME_STAMPS = tgpp("Time-Stamps", 833);
    public static final AvpCode SIP_REQUEST_TIMESTAMP = tgpp("SIP-Request-Timestamp", 834);
    public static final AvpCode SIP_RESPONSE_TIMESTAMP = tgpp("SIP-Response-Timestamp", 835);
    public static final AvpCode IMS_CHARGING_IDENTIFIER = tgpp("IMS-Charging-Identifier", 841);
    public static final AvpCode CAUSE_CODE = tgpp("Cause-Code", 861);
    public static final AvpCode SDP_MEDIA_COMPONENT = tgpp("SDP-Media-Component", 843);
    public static final AvpCode SDP_MEDIA_NAME = tgpp("SDP-Media-Name", 844);
    public static final AvpCode SDP_MEDIA_DESCRIPTION = tgpp("SDP-Media-Description", 845);
    public static final AvpCode TIME_QUOTA_THRESHOLD = tgpp("Time-Quota-Threshold", 868);
    public static final AvpCode EVENT_TYPE = tgpp("Event-Type", 823);
    public static final AvpCode SIP_METHOD = tgpp("SIP-Method", 824);
    public static final AvpCode SERVICE_SPECIFIC_INFO = tgpp("Service-Specific-Info", 1249);
    public static final AvpCode SERVICE_SPECIFIC_DATA = tgpp("Service-Specific-Data", 863);
    public static final AvpCode SERVICE_SPECIFIC_TYPE = tgpp("Service-Specific-Type", 1257);
    public static final AvpCode IP_REALM_DEFAULT_INDICATION = tgpp("IP-Realm-Default-Indication", 2603);
    public static final AvpCode TRANSCODER_INSERTED_INDICATION = tgpp("Transcoder-Inserted-Indication", 2605);

    // TS 29.214 §5.3, Rx (the AF toward the PCRF): 3GPP AVPs with V and M set (its table 5.3.1)
    public static final AvpCode ABORT_CAUSE = rx("Abort-Cause", 500);
    public static final AvpCode AF_APPLICATION_IDENTIFIER = rx("AF-Application-Identifier", 504);
    public static final AvpCode AF_CHARGING_IDENTIFIER = rx("AF-Charging-Identifier", 505);
    public static final AvpCode FLOW_DESCRIPTION = rx("Flow-Description", 507);
    public static final AvpCode FLOW_NUMBER = rx("Flow-Number", 509);
    public static final AvpCode FLOW_STATUS = rx("Flow-Status", 511);
    public static final AvpCode FLOW_USAGE = rx("Flow-Usage", 512);
    public static final AvpCode SPECIFIC_ACTION = rx("Specific-Action", 513);
    public static final AvpCode MAX_REQUESTED_BANDWIDTH_DL = rx("Max-Requested-Bandwidth-DL", 515);
    public static final AvpCode MAX_REQUESTED_BANDWIDTH_UL = rx("Max-Requested-Bandwidth-UL", 516);
    public static final AvpCode MEDIA_COMPONENT_DESCRIPTION = rx("Media-Component-Description", 517);
    public static final AvpCode MEDIA_COMPONENT_NUMBER = rx("Media-Component-Number", 518);
    public static final AvpCode MEDIA_SUB_COMPONENT = rx("Media-Sub-Component", 519);
    public static final AvpCode MEDIA_TYPE = rx("Media-Type", 520);
    public static final AvpCode CODEC_DATA = rx("Codec-Data", 524);
    public static final AvpCode RX_REQUEST_TYPE = rx("Rx-Request-Type", 533);
    // RFC 7155 §4.4.10.5.1 (NASREQ), used by Rx to bind the session to the UE's IP-CAN session
    public static final AvpCode FRAMED_IP_ADDRESS = ietf("Framed-IP-Address", 8);
    // RFC 7155 §4.4.10.6.2 (RFC 3162 §2.3): an IPv6 UE's address as a prefix (Reserved, Prefix-Length, Prefix)
    public static final AvpCode FRAMED_IPV6_PREFIX = ietf("Framed-IPv6-Prefix", 97);
    // RFC 6733 §8.12: the Re-Auth-Request-Type of a RAR
    public static final AvpCode RE_AUTH_REQUEST_TYPE = ietf("Re-Auth-Request-Type", 285);

    public AvpCode {
        if (vendorId < 0 || vendorId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a Vendor-Id is an Unsigned32: " + vendorId);
        }
    }

    private static AvpCode ietf(String name, int code) {
        return new AvpCode(name, code, 0, true);
    }

    /** An Rx AVP: V and M set, so a PCRF that does not understand one refuses the request (RFC 6733 §4.1). */
    private static AvpCode rx(String name, int code) {
        return new AvpCode(name, code, VENDOR_3GPP, true);
    }

    /**
     * A 3GPP charging AVP: V set, M clear, so that a CDF or OCS that does not know one of them still takes the message
     * (RFC 6733 §4.1: an unknown AVP with M set fails the whole message).
     */
    private static AvpCode tgpp(String name, int code) {
        return new AvpCode(name, code, VENDOR_3GPP, false);
    }
}
