package org.webims.gateway.ejb.waf;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A signing key of the WAF (ES256, RFC 7518 §3.4) as a JWK (RFC 7517), kept across restarts. The newest signs; the
 * older ones stay published until the tokens they signed have expired, so a rotation invalidates nothing.
 */
@Entity
@Table(name = "GW_WAF_KEY")
public class WafKey {
    @Id
    @Column(name = "KID", length = 64)
    private String kid;

    @Column(name = "JWK", length = 4096, nullable = false)
    private String jwk;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    protected WafKey() {
    }

    public WafKey(String kid, String jwk, Instant createdAt) {
        this.kid = kid;
        this.jwk = jwk;
        this.createdAt = createdAt;
    }

    public String kid() {
        return kid;
    }

    public String jwk() {
        return jwk;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
