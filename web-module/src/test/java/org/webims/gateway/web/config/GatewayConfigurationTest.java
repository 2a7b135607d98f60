package org.webims.gateway.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration keys read as the server reads them: the module's defaults, overridden by the operator's. */
class GatewayConfigurationTest {
    private static GatewayConfiguration with(Map<String, String> operator) {
        return new GatewayConfiguration(new SmallRyeConfigBuilder().addDefaultSources()
                .withSources(new PropertiesConfigSource(operator, "operator", 1000)).build());
    }

    @Test
    void theWorkerPoolIsTwoThreadsPerCoreAndAtLeastFourUnlessSet() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(4, 2 * cores), with(Map.of()).sipWorkerThreads());
        assertEquals(3, with(Map.of("gateway.sip.worker-threads", "3")).sipWorkerThreads());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> with(Map.of("gateway.sip.worker-threads", "-1")).sipWorkerThreads());
        assertTrue(refused.getMessage().contains("gateway.sip.worker-threads"), refused.getMessage());
    }

    @Test
    void thePathMtuTowardTheCoreIsUnknownUnlessSet() {
        assertEquals(0, with(Map.of()).sipSettings().imsPathMtu());
        assertEquals(9000, with(Map.of("gateway.ims.path-mtu", "9000")).sipSettings().imsPathMtu());
    }
}
