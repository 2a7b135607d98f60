package org.webims.gateway.ejb.policy;

import jakarta.ejb.ApplicationException;

/** A policy the operator cannot set, naming the field at fault: the REST API answers 400 (or 409 for a conflict). */
@ApplicationException(rollback = true)
public class InvalidPolicy extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final boolean conflict;

    public InvalidPolicy(String field, String message) {
        this(field, message, false);
    }

    public InvalidPolicy(String field, String message, boolean conflict) {
        super(message);
        this.field = field;
        this.conflict = conflict;
    }

    public String field() {
        return field;
    }

    /** True when the value is valid but clashes with another entry (an Origin claimed by another provider). */
    public boolean conflict() {
        return conflict;
    }
}
