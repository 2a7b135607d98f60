package org.webims.gateway.ejb.charging.rf;

import java.util.List;
import java.util.regex.Pattern;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;

/**
 * RFC 4006 §8.46 Subscription-Id of a public identity: END_USER_E164 (the digits) for a tel URI with a global number,
 * END_USER_SIP_URI for anything else (TS 32.299 §7.1.10).
 */
public final class SubscriptionIds {
    static final int END_USER_E164 = 0;
    static final int END_USER_SIP_URI = 2;
    private static final Pattern GLOBAL_TEL = Pattern.compile("tel:\\+([0-9][0-9.\\-()]*)(;.*)?",
            Pattern.CASE_INSENSITIVE);

    private SubscriptionIds() {}

    public static Avp of(String impu) {
        var tel = GLOBAL_TEL.matcher(impu);
        if (tel.matches()) {
            return subscriptionId(END_USER_E164, tel.group(1).replaceAll("[.\\-()]", ""));
        }
        return subscriptionId(END_USER_SIP_URI, impu);
    }

    private static Avp subscriptionId(int type, String data) {
        return Avp.grouped(AvpCode.SUBSCRIPTION_ID, List.of(Avp.integer32(AvpCode.SUBSCRIPTION_ID_TYPE, type),
                Avp.utf8(AvpCode.SUBSCRIPTION_ID_DATA, data)));
    }
}
