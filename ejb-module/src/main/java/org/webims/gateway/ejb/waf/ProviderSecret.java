package org.webims.gateway.ejb.waf;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A provider's client secret for the WAF's token endpoint, as a salted hash only (the secret is shown once). */
@Entity
@Table(name = "GW_PROVIDER_SECRET")
public class ProviderSecret {
    @Id
    @Column(name = "PROVIDER_ID", length = 64)
    private String providerId;

    @Column(name = "SALT", length = 32, nullable = false)
    private String salt;

    @Column(name = "SECRET_HASH", length = 64, nullable = false)
    private String hash;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    protected ProviderSecret() {
    }

    public ProviderSecret(String providerId, String salt, String hash, Instant createdAt) {
        this.providerId = providerId;
        this.salt = salt;
        this.hash = hash;
        this.createdAt = createdAt;
    }

    public boolean matches(String secret) {
        return ClientSecrets.matches(secret, salt, hash);
    }

    public void replace(String newSalt, String newHash, Instant at) {
        this.salt = newSalt;
        this.hash = newHash;
        this.createdAt = at;
    }
}
