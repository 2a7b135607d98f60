/**
 * The benchmarks of the gateway beside Kamailio: {@link org.webims.gateway.bench.Main} runs the whole comparison
 * ({@code run}, what {@code benchmarks/run.sh} calls), the load generator alone ({@code load}), the peers and one target
 * for manual work ({@code serve}) or the summary of a JFR recording ({@code profile}).
 */
package org.webims.gateway.bench;
