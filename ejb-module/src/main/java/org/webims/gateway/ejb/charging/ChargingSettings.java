package org.webims.gateway.ejb.charging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * What charging is configured to do (README "Charging"): {@code gateway.charging.mode}, the gateway's Diameter
 * identity, the Rf peers (the first the primary) and realm, the interim interval, the Diameter connection's timers
 * and bounds, and for Ro the OCS peers and realm, Tx (RFC 4006 §13), the failure handling when the OCS sends none
 * (RFC 4006 §8.14: TERMINATE by default) and the time asked for in each reservation. Defaults as in the web module's microprofile-config.properties; a wrong value stops the
 * deployment with a message naming the key.
 */
public record ChargingSettings(ChargingMode mode, String originHost, String originRealm, List<PeerAddress> rfPeers,
        String rfDestinationRealm, Duration interimInterval, Duration watchdogInterval, Duration answerTimeout,
        Duration reconnectMax, int maxInFlight, int queueCapacity, int window, Duration retention,
        List<PeerAddress> roPeers, String roDestinationRealm, Duration tx, FailureHandling failureHandling,
        long requestedSeconds, Duration finalUnitsWarning) {

    /** host:port of a Diameter peer. */
    public record PeerAddress(String host, int port) {
        static PeerAddress parse(String text, String key) {
            int colon = text.lastIndexOf(':');
            try {
                int port = colon > 0 ? Integer.parseInt(text.substring(colon + 1).trim()) : 3868; // RFC 6733 §2.1
                String host = colon > 0 ? text.substring(0, colon).trim() : text.trim();
                if (host.isEmpty() || port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new PeerAddress(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + text + "' is not host:port");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public ChargingSettings {
        rfPeers = List.copyOf(rfPeers);
        roPeers = List.copyOf(roPeers);
        if (mode.offline() && rfPeers.isEmpty()) {
            throw new IllegalArgumentException("gateway.charging.mode " + mode.name().toLowerCase()
                    + " needs gateway.charging.rf.peers");
        }
        if (mode.online() && roPeers.isEmpty()) {
            throw new IllegalArgumentException("gateway.charging.mode " + mode.name().toLowerCase()
                    + " needs gateway.charging.ro.peers");
        }
    }

    /**
     * {@code webims-<host name>.<ims domain>}: a Diameter identity is one node's (RFC 6733 §1.2), so two gateways of
     * a cluster never share one by default, and each delivers only the records it made (their Session-Ids start with
     * it).
     */
    static String defaultOriginHost(String domain) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        String label = host.split("\\.")[0].toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return "webims-" + (label.isEmpty() ? "node" : label) + "." + domain;
    }

    public static ChargingSettings from(Config config) {
        String domain = config.getOptionalValue("gateway.ims.domain", String.class).orElse("ims.example.test");
        return new ChargingSettings(
                ChargingMode.parse(config.getOptionalValue("gateway.charging.mode", String.class).orElse("none")),
                config.getOptionalValue("gateway.diameter.origin-host", String.class)
                        .orElseGet(() -> defaultOriginHost(domain)),
                config.getOptionalValue("gateway.diameter.origin-realm", String.class).orElse(domain),
                peers(config.getOptionalValue("gateway.charging.rf.peers", String.class).orElse(""),
                        "gateway.charging.rf.peers"),
                config.getOptionalValue("gateway.charging.rf.destination-realm", String.class).orElse(domain),
                seconds(config, "gateway.charging.rf.interim-seconds", 300, 0),
                seconds(config, "gateway.diameter.watchdog-seconds", 30, 1),
                Duration.ofMillis(positive(config, "gateway.diameter.answer-timeout-ms", 5000)),
                seconds(config, "gateway.diameter.reconnect-max-seconds", 30, 1),
                positive(config, "gateway.diameter.max-in-flight", 1000),
                positive(config, "gateway.charging.rf.queue-capacity", 20000),
                positive(config, "gateway.charging.rf.window", 10000),
                Duration.ofDays(positive(config, "gateway.charging.records.retention-days", 30)),
                peers(config.getOptionalValue("gateway.charging.ro.peers", String.class).orElse(""),
                        "gateway.charging.ro.peers"),
                config.getOptionalValue("gateway.charging.ro.destination-realm", String.class).orElse(domain),
                Duration.ofMillis(positive(config, "gateway.charging.ro.tx-ms", 5000)),
                FailureHandling.parse(config.getOptionalValue("gateway.charging.ro.failure-handling", String.class)
                        .orElse("TERMINATE")),
                positive(config, "gateway.charging.ro.requested-seconds", 60),
                Duration.ofSeconds(Math.max(0, config.getOptionalValue("gateway.charging.ro.warning-seconds",
                        Integer.class).orElse(10))));
    }

    public static List<PeerAddress> peers(String value, String key) {
        List<PeerAddress> peers = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                peers.add(PeerAddress.parse(part, key));
            }
        }
        return peers;
    }

    private static Duration seconds(Config config, String key, int otherwise, int min) {
        int value = config.getOptionalValue(key, Integer.class).orElse(otherwise);
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
        }
        return Duration.ofSeconds(value);
    }

    private static int positive(Config config, String key, int otherwise) {
        int value = config.getOptionalValue(key, Integer.class).orElse(otherwise);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
        return value;
    }
}
