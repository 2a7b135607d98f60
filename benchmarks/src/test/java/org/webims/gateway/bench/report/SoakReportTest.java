package org.webims.gateway.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoakReportTest {

    @Test
    void replacesTheSoakSectionOrInsertsItBeforeConcurrency() {
        String section = "## Soak\n\nnew\n\n";
        assertEquals("# B\n\n## Sweeps\n\nx\n\n## Soak\n\nnew\n\n## Concurrency\n\ny\n",
                SoakReport.withSection("# B\n\n## Sweeps\n\nx\n\n## Concurrency\n\ny\n", section));
        assertEquals("# B\n\n## Soak\n\nnew\n\n## Concurrency\n\ny\n",
                SoakReport.withSection("# B\n\n## Soak\n\nold\nold\n\n## Concurrency\n\ny\n", section));
        assertEquals("# B\n\nz\n\n## Soak\n\nnew\n\n", SoakReport.withSection("# B\n\nz\n", section));
    }
}
