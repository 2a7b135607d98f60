package org.webims.gateway.ejb.waf;

import org.eclipse.microprofile.config.Config;

/**
 * Where the operator's identity provider is and what the WAF expects of its access tokens (issue 11, scenario 2):
 * {@code gateway.waf.idp.issuer} (empty: no operator sign-in), the audience the tokens must name, the softphone's
 * client id there, and the claims that carry the IMS public and private identities.
 */
record IdentityProviderSettings(String issuer, String audience, String clientId, String impuClaim,
        String impiClaim) {

    static IdentityProviderSettings from(Config config) {
        return new IdentityProviderSettings(
                config.getOptionalValue("gateway.waf.idp.issuer", String.class).map(String::trim).orElse(""),
                config.getOptionalValue("gateway.waf.idp.audience", String.class).orElse("webims-waf"),
                config.getOptionalValue("gateway.waf.idp.client-id", String.class).orElse("webims-softphone"),
                config.getOptionalValue("gateway.waf.idp.impu-claim", String.class).orElse("impu"),
                config.getOptionalValue("gateway.waf.idp.impi-claim", String.class).orElse("impi"));
    }

    boolean enabled() {
        return !issuer.isEmpty();
    }
}
