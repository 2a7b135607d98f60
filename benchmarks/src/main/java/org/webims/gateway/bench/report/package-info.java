/**
 * Writes {@code docs/BENCHMARKS.md}, its PNG chart (java.awt, headless) and the CSV of every step from a run's
 * results; the one place the diagnosis of the first bottleneck is worded.
 */
package org.webims.gateway.bench.report;
