package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The gateway's live bytes are read from the total of a class histogram (JDK 17 {@code jcmd} output). */
class GatewayTargetTest {

    @Test
    void theLiveBytesAreTheHistogramsTotal() {
        String histogram = """
                17145:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         72354       64419888  [B (java.base@17.0.15)
                1541:             1             16  sun.util.resources.cldr.provider.CLDRLocaleDataMetaInfo
                Total        625137       99946136
                """;
        assertEquals(99_946_136L, GatewayTarget.histogramTotal(histogram));
    }

    @Test
    void withoutATotalLineNothingIsRead() {
        assertEquals(-1, GatewayTarget.histogramTotal("17145:\nAttach failed: no such process\n"));
    }
}
