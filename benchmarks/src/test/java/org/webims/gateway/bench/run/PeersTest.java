package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void countsTheCallsOfAnNgListReply() {
        assertEquals(0, Peers.countListed("bench2 d5:callsle6:result2:oke"));
        assertEquals(2, Peers.countListed("bench2 d5:callsl5:abcde12:abcdefghijkle6:result2:oke"));
        assertEquals(-1, Peers.countListed("bench2 d6:result5:error12:error-reason3:bade"));
        assertEquals(-1, Peers.countListed("bench2 d5:callsl5:abc"), "a truncated reply is no count");
    }
}
