package org.webims.gateway.ejb.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The audit trail of policy: who changed which entry when, and the entry before and after (JSON, null if none). */
@Entity
@Table(name = "GW_POLICY_CHANGE")
public class PolicyChange {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "CHANGED_AT", nullable = false)
    private Instant at;

    @Column(name = "CHANGED_BY", length = 128, nullable = false)
    private String who;

    @Column(name = "LAYER", length = 16, nullable = false)
    private String layer;

    @Column(name = "ENTRY_KEY", length = 280, nullable = false)
    private String entryKey;

    @Column(name = "ACTION", length = 8, nullable = false)
    private String action;

    @Column(name = "BEFORE_DOC", length = 65535)
    private String before;

    @Column(name = "AFTER_DOC", length = 65535)
    private String after;

    protected PolicyChange() {
    }

    public PolicyChange(Instant at, String who, PolicyKey key, String action, String before, String after) {
        this.at = at;
        this.who = who;
        this.layer = key.layer().name();
        this.entryKey = key.key();
        this.action = action;
        this.before = before;
        this.after = after;
    }

    public long id() {
        return id;
    }

    public Instant at() {
        return at;
    }

    public String who() {
        return who;
    }

    public String layer() {
        return layer;
    }

    public String entryKey() {
        return entryKey;
    }

    public String action() {
        return action;
    }

    public String before() {
        return before;
    }

    public String after() {
        return after;
    }
}
