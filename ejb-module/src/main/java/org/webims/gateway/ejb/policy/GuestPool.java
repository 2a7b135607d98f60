package org.webims.gateway.ejb.policy;

import java.util.regex.Pattern;

/**
 * The anonymous identities a provider may hand out to guests (TS 24.371 scenario 3, TS 33.203 Annex X.4): the
 * {@code n}th is {@code pattern} with {@code {n}} replaced by n (0 to size - 1); an identity given back is reused only
 * after {@code quarantineSeconds}.
 */
public record GuestPool(String pattern, int size, int quarantineSeconds) {
    public static final int MAX_SIZE = 100_000;
    public static final int MAX_QUARANTINE_SECONDS = 86_400;
    private static final Pattern IMPU = Pattern.compile("(sips?:[^@\\s{}]*\\{n\\}[^@\\s{}]*@[^\\s{}]+"
            + "|sips?:[^@\\s{}]+@[^\\s{}]*\\{n\\}[^\\s{}]*|tel:\\+?[0-9]*\\{n\\}[0-9]*)", Pattern.CASE_INSENSITIVE);

    /** Checks the pool, naming {@code guestPool} in what it refuses. */
    public GuestPool {
        if (pattern == null || pattern.length() > PolicyRules.MAX_ITEM || !IMPU.matcher(pattern).matches()
                || pattern.indexOf("{n}") != pattern.lastIndexOf("{n}")) {
            throw new InvalidPolicy("guestPool", "guestPool.pattern must be a sip:, sips: or tel: URI with {n} once, "
                    + "e.g. sip:wguest-{n}@ims.example.test");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidPolicy("guestPool", "guestPool.size must be a whole number from 1 to " + MAX_SIZE);
        }
        if (quarantineSeconds < 0 || quarantineSeconds > MAX_QUARANTINE_SECONDS) {
            throw new InvalidPolicy("guestPool", "guestPool.quarantineSeconds must be a whole number from 0 to "
                    + MAX_QUARANTINE_SECONDS);
        }
    }

    /**
     * Whether the two pools could hand out the same identity: one's text before {@code {n}} starts with the other's,
     * and one's text after it ends with the other's (identities are prefix, digits, suffix). Conservative: pools
     * that cannot collide always answer false.
     */
    public boolean overlaps(GuestPool other) {
        String prefix = pattern.substring(0, pattern.indexOf("{n}")).toLowerCase(java.util.Locale.ROOT);
        String suffix = pattern.substring(pattern.indexOf("{n}") + 3).toLowerCase(java.util.Locale.ROOT);
        String otherPrefix = other.pattern.substring(0, other.pattern.indexOf("{n}")).toLowerCase(java.util.Locale.ROOT);
        String otherSuffix = other.pattern.substring(other.pattern.indexOf("{n}") + 3)
                .toLowerCase(java.util.Locale.ROOT);
        return (prefix.startsWith(otherPrefix) || otherPrefix.startsWith(prefix))
                && (suffix.endsWith(otherSuffix) || otherSuffix.endsWith(suffix));
    }

    /** The {@code index}th identity of the pool. */
    public String identity(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("no identity " + index + " in a pool of " + size);
        }
        return pattern.replace("{n}", Integer.toString(index));
    }
}
