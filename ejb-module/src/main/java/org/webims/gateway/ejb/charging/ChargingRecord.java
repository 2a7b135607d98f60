package org.webims.gateway.ejb.charging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One offline charging record as kept until the CDF acknowledges it (and for the retention period after): the
 * encoded ACR exactly as sent, and the facts an operator filters on. Portable JPA: a sequence (not an identity
 * column) so that a batch of records is one round trip, no vendor types.
 */
@Entity
@Table(name = "GW_CHARGING_RECORD", indexes = {
        @Index(name = "GW_CHARGING_STATE_IX", columnList = "STATE, ID"),
        @Index(name = "GW_CHARGING_IMPU_IX", columnList = "IMPU, CREATED_AT"),
        @Index(name = "GW_CHARGING_CREATED_IX", columnList = "CREATED_AT")})
public class ChargingRecord {
    /** The largest encoded ACR kept; ours are well under 2 KiB. */
    public static final int MAX_MESSAGE = 16_384;
    /** The longest last result kept (the column's length). */
    static final int MAX_RESULT = 512;

    public enum State { PENDING, DELIVERED, REJECTED }

    @Id
    @SequenceGenerator(name = "GW_CHARGING_SEQ", sequenceName = "GW_CHARGING_RECORD_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "GW_CHARGING_SEQ")
    @Column(name = "ID")
    private Long id;

    @Column(name = "SESSION_ID", length = 256, nullable = false)
    private String sessionId;

    @Column(name = "RECORD_NUMBER", nullable = false)
    private int recordNumber;

    @Column(name = "RECORD_TYPE", length = 8, nullable = false)
    private String recordType;

    @Column(name = "SIP_METHOD", length = 16, nullable = false)
    private String method;

    @Column(name = "ROLE", length = 12, nullable = false)
    private String role;

    @Column(name = "IMPU", length = 512, nullable = false)
    private String impu;

    @Column(name = "REMOTE", length = 512)
    private String remote;

    @Column(name = "PROVIDER", length = 128)
    private String provider;

    @Column(name = "ICID", length = 160)
    private String icid;

    @Column(name = "CAUSE_CODE")
    private Integer causeCode;

    @Column(name = "EVENT_AT", nullable = false)
    private Instant eventAt;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    @Column(name = "STATE", length = 10, nullable = false)
    private String state;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "LAST_RESULT", length = 512)
    private String lastResult;

    @Column(name = "LAST_ATTEMPT_AT")
    private Instant lastAttemptAt;

    @Column(name = "DELIVERED_AT")
    private Instant deliveredAt;

    @Column(name = "MESSAGE", length = MAX_MESSAGE, nullable = false)
    private byte[] message;

    protected ChargingRecord() {
    }

    public ChargingRecord(AccountingRecord record, byte[] message, Instant createdAt) {
        if (message.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("an ACR of " + message.length + " bytes is over " + MAX_MESSAGE);
        }
        this.sessionId = record.sessionId();
        this.recordNumber = record.number();
        this.recordType = record.type().name();
        this.method = record.method();
        this.role = record.direction().name();
        this.impu = clip(record.subscriber(), 512);
        this.remote = clip(record.remote(), 512);
        this.provider = clip(record.provider(), 128);
        this.icid = clip(record.icid(), 160);
        this.causeCode = record.causeCode();
        this.eventAt = record.at();
        this.createdAt = createdAt;
        this.state = State.PENDING.name();
        this.message = message.clone();
    }

    static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    OutboxStore.Stored stored(Instant startedAt) {
        return new OutboxStore.Stored(id, sessionId, recordNumber, message.clone(),
                attempts > 0 || createdAt.isBefore(startedAt));
    }

    void attempted(String result, Instant at) {
        attempts++;
        lastResult = clip(result, MAX_RESULT);
        lastAttemptAt = at;
    }

    void rejected(String result, Instant at) {
        attempted(result, at);
        state = State.REJECTED.name();
    }

    public long id() {
        return id;
    }

    public String sessionId() {
        return sessionId;
    }

    public int recordNumber() {
        return recordNumber;
    }

    public String recordType() {
        return recordType;
    }

    public String method() {
        return method;
    }

    public String role() {
        return role;
    }

    public String impu() {
        return impu;
    }

    public String remote() {
        return remote;
    }

    public String provider() {
        return provider;
    }

    public String icid() {
        return icid;
    }

    public Integer causeCode() {
        return causeCode;
    }

    public Instant eventAt() {
        return eventAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public String lastResult() {
        return lastResult;
    }

    public Instant lastAttemptAt() {
        return lastAttemptAt;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }
}
