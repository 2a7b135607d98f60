package org.webims.gateway.bench.run;

import java.io.IOException;

/**
 * The service policy of the run with policy on: an operator default and a subscriber entry for the first clients of
 * the pool, through the admin API, so that every REGISTER and call is checked against real entries (a barred prefix
 * the calls do not dial, limits they stay under) rather than an empty catalogue. Nothing the load does is refused.
 */
final class ServicePolicy {
    /** Subscriber entries written (the first clients of the pool). */
    static final int SUBSCRIBERS = 50;
    static final String DEFAULT = "{\"barredDestinations\": [\"+1900\", \"00900\"], \"maxCalls\": 4, "
            + "\"maxCallSeconds\": 3600}";
    static final String SUBSCRIBER = "{\"services\": [\"audio\", \"video\", \"messaging\"], "
            + "\"barredDestinations\": [\"+44909\"], \"maxCalls\": 2, \"maxCallSeconds\": 1800}";
    /** For the report. */
    static final String DESCRIPTION = "a service policy in force (operator default `" + DEFAULT + "`, and `"
            + SUBSCRIBER + "` for the first " + SUBSCRIBERS + " subscribers of the pool)";

    private ServicePolicy() {}

    static void apply(AdminApi api, String userPrefix, int firstUser, int subscribers) throws IOException {
        api.putPolicy("default", DEFAULT);
        for (int i = 0; i < subscribers; i++) {
            String impu = "sip:" + userPrefix + (firstUser + i) + "@ims.example.test";
            api.putPolicy("subscribers/" + AdminApi.encode(impu), SUBSCRIBER);
        }
    }
}
