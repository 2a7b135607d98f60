package org.webims.gateway.ejb.qos;

import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.webims.gateway.ejb.charging.ChargingSettings;

/**
 * QoS over Rx as configured (README "QoS"): {@code gateway.qos.mode}, the PCRFs {@code gateway.qos.rx.peers} (none:
 * no Rx at all), their realm {@code gateway.qos.rx.destination-realm} and how long a call waits for the AAA,
 * {@code gateway.qos.rx.answer-timeout-ms}. The gateway's Diameter identity and watchdog are the charging's
 * ({@code gateway.diameter.*}).
 */
public record QosSettings(QosMode mode, List<ChargingSettings.PeerAddress> peers, String destinationRealm,
        Duration answerTimeout, ChargingSettings diameter) {

    public QosSettings {
        peers = List.copyOf(peers);
    }

    public static QosSettings from(Config config, ChargingSettings diameter) {
        String domain = config.getOptionalValue("gateway.ims.domain", String.class).orElse("ims.example.test");
        long timeout = config.getOptionalValue("gateway.qos.rx.answer-timeout-ms", Long.class).orElse(2000L);
        if (timeout < 1) {
            throw new IllegalArgumentException("gateway.qos.rx.answer-timeout-ms must be positive: " + timeout);
        }
        return new QosSettings(
                QosMode.parse(config.getOptionalValue("gateway.qos.mode", String.class).orElse("best-effort")),
                ChargingSettings.peers(config.getOptionalValue("gateway.qos.rx.peers", String.class).orElse(""),
                        "gateway.qos.rx.peers"),
                config.getOptionalValue("gateway.qos.rx.destination-realm", String.class).orElse(domain),
                Duration.ofMillis(timeout), diameter);
    }
}
