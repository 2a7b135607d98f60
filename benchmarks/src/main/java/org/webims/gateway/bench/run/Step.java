package org.webims.gateway.bench.run;

import java.util.Map;
import org.webims.gateway.bench.load.StepResult;

/**
 * One step of a sweep with the CPU every process group used meanwhile.
 *
 * @param result     what the generator measured
 * @param cpuPercent CPU use during the step by group ("system under test", "IMS core", "SIPp UAS", "rtpengine",
 *                   "load generator"), in % of one core
 * @param sutCpuMsPerOp CPU milliseconds the system under test spent per successful operation
 * @param udpDrops   datagrams dropped during the step on a full receive buffer, by endpoint (only those with drops)
 */
public record Step(StepResult result, Map<String, Double> cpuPercent, double sutCpuMsPerOp,
        Map<String, Long> udpDrops) {

    /** "rtpengine ng 120, IMS core 3", or "none". */
    public String describeDrops() {
        if (udpDrops.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        udpDrops.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
