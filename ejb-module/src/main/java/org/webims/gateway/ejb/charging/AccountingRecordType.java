package org.webims.gateway.ejb.charging;

/** RFC 6733 §9.8.1 Accounting-Record-Type. */
public enum AccountingRecordType {
    EVENT(1), START(2), INTERIM(3), STOP(4);

    public final int code;

    AccountingRecordType(int code) {
        this.code = code;
    }
}
