package org.webims.gateway.bench.run;

import java.util.List;

/**
 * What the test CDF and OCS took during a measurement, counted from their record files (one line per request): the
 * proof that a run "with charging" charged. {@code *Rejected} are requests answered with something else than 2001.
 *
 * @param acrStart       Rf ACR START (Accounting-Record-Type 2)
 * @param acrStop        Rf ACR STOP (4)
 * @param acrOther       Rf ACR EVENT and INTERIM (1, 3)
 * @param ccrInitial     Ro CCR-INITIAL (CC-Request-Type 1)
 * @param ccrTermination Ro CCR-TERMINATION (3)
 * @param ccrOther       Ro CCR-UPDATE and EVENT (2, 4)
 * @param ccrRejected    CCRs the OCS answered with another Result-Code than 2001
 */
public record ChargingCounts(long acrStart, long acrStop, long acrOther, long ccrInitial, long ccrTermination,
        long ccrOther, long ccrRejected) {

    public long acrs() {
        return acrStart + acrStop + acrOther;
    }

    public long ccrs() {
        return ccrInitial + ccrTermination + ccrOther;
    }

    /** Counts from the lines of the CDF's and the OCS's record files (tab-separated {@code key=value} fields). */
    static ChargingCounts of(List<String> cdfLines, List<String> ocsLines) {
        long[] acr = new long[5];
        for (String line : cdfLines) {
            int type = intField(line, "type");
            acr[type >= 1 && type <= 4 ? type : 0]++;
        }
        long[] ccr = new long[5];
        long rejected = 0;
        for (String line : ocsLines) {
            int type = intField(line, "type");
            ccr[type >= 1 && type <= 4 ? type : 0]++;
            int result = intField(line, "result");
            if (result > 0 && result != 2001) {
                rejected++;
            }
        }
        return new ChargingCounts(acr[2], acr[4], acr[1] + acr[3], ccr[1], ccr[3], ccr[2] + ccr[4], rejected);
    }

    /** The integer value of {@code key=} in a tab-separated record line, or -1. */
    static int intField(String line, String key) {
        for (String field : line.split("\t")) {
            if (field.startsWith(key + "=")) {
                try {
                    return Integer.parseInt(field.substring(key.length() + 1).strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The difference since an earlier reading. */
    ChargingCounts minus(ChargingCounts before) {
        return new ChargingCounts(acrStart - before.acrStart, acrStop - before.acrStop, acrOther - before.acrOther,
                ccrInitial - before.ccrInitial, ccrTermination - before.ccrTermination, ccrOther - before.ccrOther,
                ccrRejected - before.ccrRejected);
    }
}
