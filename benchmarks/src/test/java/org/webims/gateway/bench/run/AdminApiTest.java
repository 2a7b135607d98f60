package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdminApiTest {

    @Test
    void countsTheElementsOfATopLevelArray() {
        assertEquals(0, AdminApi.countArrayElements("[]"));
        assertEquals(0, AdminApi.countArrayElements(" [ ]\n"));
        assertEquals(2, AdminApi.countArrayElements("[{\"id\":\"a,b\",\"legs\":[1,2]},{\"id\":\"c\\\",\"}]"));
        assertEquals(3, AdminApi.countArrayElements("[1, 2, 3]"));
        assertEquals(-1, AdminApi.countArrayElements("{\"error\":\"x\"}"));
    }

    @Test
    void encodesAnImpuAsOnePathSegment() {
        assertEquals("sip%3Abench1%40ims.example.test", AdminApi.encode("sip:bench1@ims.example.test"));
    }
}
