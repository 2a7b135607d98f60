package org.webims.gateway.ejb.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One stored policy entry: its layer and key, and the entry as the JSON document the API shows ({@link PolicyJson}),
 * so that a field added later needs no schema change. Portable types only (H2 and PostgreSQL).
 */
@Entity
@Table(name = "GW_POLICY_ENTRY")
public class PolicyRecord {
    @Id
    @Column(name = "ID", length = 300)
    private String id;

    @Column(name = "LAYER", length = 16, nullable = false)
    private String layer;

    @Column(name = "ENTRY_KEY", length = 280, nullable = false)
    private String entryKey;

    @Column(name = "DOCUMENT", length = 65535, nullable = false)
    private String document;

    @Column(name = "UPDATED_AT", nullable = false)
    private Instant updatedAt;

    protected PolicyRecord() {
    }

    public PolicyRecord(PolicyKey key, String document, Instant updatedAt) {
        this.id = key.id();
        this.layer = key.layer().name();
        this.entryKey = key.key();
        this.document = document;
        this.updatedAt = updatedAt;
    }

    public String layer() {
        return layer;
    }

    public String entryKey() {
        return entryKey;
    }

    public String document() {
        return document;
    }

    public void update(String newDocument, Instant at) {
        this.document = newDocument;
        this.updatedAt = at;
    }
}
