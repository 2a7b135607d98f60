package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChargingCountsTest {

    @Test
    void countsAcrsAndCcrsByTypeFromTheRecordLines() {
        List<String> cdf = List.of("session=a\ttype=2\tnumber=0", "session=a\ttype=4\tnumber=1",
                "session=b\ttype=1\tnumber=0", "session=c\terror=badarg");
        List<String> ocs = List.of("session=x\ttype=1\tresult=2001", "session=x\ttype=3\tresult=2001",
                "session=y\ttype=1\tresult=4012", "session=z\ttype=2\tresult=2001");
        ChargingCounts c = ChargingCounts.of(cdf, ocs);
        assertEquals(new ChargingCounts(1, 1, 1, 2, 1, 1, 1), c);
        assertEquals(3, c.acrs(), "a line the CDF could not decode is no ACR of a known type");
        assertEquals(4, c.ccrs());
        assertEquals(new ChargingCounts(0, 0, 0, 1, 0, 0, 0), c.minus(new ChargingCounts(1, 1, 1, 1, 1, 1, 1)));
    }
}
