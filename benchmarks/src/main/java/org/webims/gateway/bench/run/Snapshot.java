package org.webims.gateway.bench.run;

/**
 * The system under test at one concurrency point.
 *
 * @param clients       registered idle clients connected
 * @param calls         established calls held
 * @param liveBytes     its own data: heap after a full GC (JVM) or shared memory in use (Kamailio); -1 if unknown
 * @param pssKb         proportional set size of its processes (kB)
 * @param sutCpuPercent its CPU use while every client was idle (keepalives only), % of one core; NaN when not
 *                      measured at this point
 */
public record Snapshot(int clients, int calls, long liveBytes, long pssKb, double sutCpuPercent) {}
