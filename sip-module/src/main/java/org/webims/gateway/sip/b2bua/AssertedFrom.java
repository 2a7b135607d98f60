package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.header.FromHeader;

/**
 * The From of an originating request toward the core: the identity the P-CSCF asserts (TS 24.229 §5.2.6.3), never
 * the URI the client wrote, with the display name the client chose, if any.
 */
public final class AssertedFrom {
    private AssertedFrom() {}

    /** The address for a From naming {@code identity}, keeping the display name of the client's From. */
    public static Address address(AddressFactory addresses, String identity, FromHeader clientFrom)
            throws ParseException {
        Address asserted = addresses.createAddress(addresses.createURI(identity));
        String display = clientFrom == null ? null : clientFrom.getAddress().getDisplayName();
        if (display != null && !display.isBlank()) {
            asserted.setDisplayName(display);
        }
        return asserted;
    }

    /** Rewrites the request's From in place; its tag stays. */
    public static void apply(javax.sip.message.Request request, AddressFactory addresses, String identity)
            throws ParseException {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        from.setAddress(address(addresses, identity, from));
    }
}
