package org.webims.gateway.sip.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.RegistrationUpdate;
import org.webims.gateway.sip.registration.RegistrationUpdate.ContactGrant;

/**
 * Reads a REGISTER and its 2xx into a {@link RegistrationUpdate} (RFC 3261 §10.3 step 8: the 2xx lists every
 * current binding of the AOR with its expiry; RFC 3608 Service-Route; RFC 7315 P-Associated-URI).
 */
final class RegistrationMapper {
    static final String P_ASSOCIATED_URI = "P-Associated-URI";
    static final String SERVICE_ROUTE = "Service-Route";

    private RegistrationMapper() {}

    static RegistrationUpdate toUpdate(FlowId flow, Request register, Response ok) {
        String aor = ((ToHeader) register.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        ExpiresHeader requestExpires = (ExpiresHeader) register.getHeader(ExpiresHeader.NAME);
        ExpiresHeader responseExpires = (ExpiresHeader) ok.getHeader(ExpiresHeader.NAME);
        List<ContactHeader> granted = contacts(ok);

        boolean removeAll = false;
        List<ContactGrant> grants = new ArrayList<>();
        for (ContactHeader asked : contacts(register)) {
            if (asked.getAddress().isWildcard()) {
                removeAll = true;
                continue;
            }
            URI uri = asked.getAddress().getURI();
            int expires = granted.stream()
                    .filter(c -> !c.getAddress().isWildcard() && uri.equals(c.getAddress().getURI()))
                    .mapToInt(c -> c.getExpires() >= 0 ? c.getExpires()
                            : responseExpires != null ? responseExpires.getExpires() : 0)
                    .findFirst()
                    .orElse(0);
            if (asked.getExpires() == 0 || (asked.getExpires() < 0 && requestExpires != null
                    && requestExpires.getExpires() == 0)) {
                expires = 0;
            }
            grants.add(new ContactGrant(uri.toString(), unquote(asked.getParameter("+sip.instance")),
                    integer(asked.getParameter("reg-id")), expires));
        }
        return new RegistrationUpdate(flow, aor, grants, removeAll, uris(ok, P_ASSOCIATED_URI),
                addresses(ok, SERVICE_ROUTE));
    }

    private static List<ContactHeader> contacts(javax.sip.message.Message message) {
        List<ContactHeader> list = new ArrayList<>();
        ListIterator<?> it = message.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            list.add((ContactHeader) it.next());
        }
        return list;
    }

    /** The URIs of an address-valued header, e.g. {@code sip:alice@ims.example.test}. */
    static List<String> uris(javax.sip.message.Message message, String name) {
        List<String> list = new ArrayList<>();
        ListIterator<?> it = message.getHeaders(name);
        while (it.hasNext()) {
            Header header = (Header) it.next();
            if (header instanceof HeaderAddress address) {
                list.add(address.getAddress().getURI().toString());
            }
        }
        return list;
    }

    /** The name-addr values of an address-valued header with their parameters, e.g. {@code <sip:orig@core;lr>}. */
    static List<String> addresses(javax.sip.message.Message message, String name) {
        List<String> list = new ArrayList<>();
        ListIterator<?> it = message.getHeaders(name);
        while (it.hasNext()) {
            Header header = (Header) it.next();
            if (header instanceof HeaderAddress address) {
                list.add("<" + address.getAddress().getURI() + ">");
            }
        }
        return list;
    }

    private static String unquote(String value) {
        if (value == null) {
            return null;
        }
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
