package org.webims.gateway.bench.run;

import org.webims.gateway.bench.load.StepResult;

/**
 * One reading of a soak: a window of steady load, read in its middle and once it has ended.
 *
 * @param minutes       since the load began, at the window's middle
 * @param heapBytes     the gateway's live objects after a full GC ({@code jcmd GC.class_histogram}) once the window
 *                      ended, -1 if unread
 * @param gatewayCalls  live calls on the gateway ({@code GET /api/calls}) in the window's middle, -1 if unread
 * @param mediaSessions sessions rtpengine holds (ng {@code list}) in the window's middle, -1 if unread
 * @param calls         the window's calls
 * @param registers     the window's re-registrations
 */
public record SoakSample(double minutes, long heapBytes, int gatewayCalls, int mediaSessions, StepResult calls,
        StepResult registers) {

    /** Failed calls and registrations of the window. */
    public long errors() {
        return calls.failed() + registers.failed();
    }
}
