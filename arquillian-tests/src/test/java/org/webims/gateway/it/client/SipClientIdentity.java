package org.webims.gateway.it.client;

import java.util.Objects;

/**
 * The IMS identity a test client registers and sends with: the public identity (the SIP URI in From/To,
 * e.g. {@code sip:alice@ims.example.test}), the private identity (the digest username,
 * e.g. {@code alice@ims.example.test}), the digest password and the home domain (the registrar URI host
 * and the digest realm the IMS core is expected to use).
 *
 * <p>The demo subscribers match {@code deployment/ims-core/ims-subscribers.cfg}.
 */
public record SipClientIdentity(String publicId, String privateId, String password, String domain) {

    /** The home domain of the demo IMS core. */
    public static final String DEMO_DOMAIN = "ims.example.test";

    public SipClientIdentity {
        Objects.requireNonNull(publicId, "publicId");
        Objects.requireNonNull(privateId, "privateId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(domain, "domain");
    }

    /** A subscriber of the demo domain: public {@code sip:user@domain}, private {@code user@domain}. */
    public static SipClientIdentity of(String user, String password) {
        return new SipClientIdentity("sip:" + user + "@" + DEMO_DOMAIN, user + "@" + DEMO_DOMAIN, password, DEMO_DOMAIN);
    }

    /** The demo subscriber alice ({@code sip:alice@ims.example.test}). */
    public static SipClientIdentity alice() {
        return of("alice", "alice-demo-secret");
    }

    /** The demo subscriber bob ({@code sip:bob@ims.example.test}). */
    public static SipClientIdentity bob() {
        return of("bob", "bob-demo-secret");
    }

    /** The registrar request-URI, {@code sip:<domain>}. */
    public String registrarUri() {
        return "sip:" + domain;
    }

    /** The same identity with another password (e.g. to provoke a digest failure). */
    public SipClientIdentity withPassword(String otherPassword) {
        return new SipClientIdentity(publicId, privateId, otherPassword, domain);
    }
}
