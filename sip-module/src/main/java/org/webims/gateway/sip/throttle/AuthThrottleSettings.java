package org.webims.gateway.sip.throttle;

import java.time.Duration;

/**
 * How failed authentications are throttled (keys in the README).
 *
 * @param maxFailuresPerIdentity failed authentications of one private identity within the window after which its
 *     REGISTERs are refused for the penalty ({@code gateway.auth.max-failures}); 0 turns the limit off
 * @param maxFailuresPerAddress the same for one source address, whatever identities it tries
 *     ({@code gateway.auth.max-failures-per-address}); 0 turns the limit off
 * @param window the time in which failures are counted ({@code gateway.auth.failure-window-seconds})
 * @param penalty how long REGISTERs are refused once a limit is reached ({@code gateway.auth.penalty-seconds})
 * @param maxTrackedKeys addresses and identities remembered (each), the least recently failed forgotten first
 *     ({@code gateway.auth.tracked-keys})
 */
public record AuthThrottleSettings(int maxFailuresPerIdentity, int maxFailuresPerAddress, Duration window,
        Duration penalty, int maxTrackedKeys) {}
