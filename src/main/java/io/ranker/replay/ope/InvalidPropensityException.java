package io.ranker.replay.ope;

import io.ranker.core.DomainException;

/** A record whose propensity cannot be used (outside (0, 1], NaN): names the offending record. */
public class InvalidPropensityException extends DomainException {
    private final long recordIndex;

    public InvalidPropensityException(long recordIndex, String recordId, String detail) {
        super(Kind.UNPROCESSABLE, "Invalid propensity", "record " + recordIndex
                + (recordId == null ? "" : " (" + recordId + ")") + ": " + detail);
        this.recordIndex = recordIndex;
    }

    /** 0-based index of the impression in the order it was added. */
    public long recordIndex() {
        return recordIndex;
    }
}
