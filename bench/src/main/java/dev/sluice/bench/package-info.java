/**
 * Load generators, servers to measure, and the soak. Run by the scripts under {@code bench/}; no
 * API. The files by role:
 *
 * <table>
 *   <caption>Files by role</caption>
 *   <tr><th>role</th><th>files</th></tr>
 *   <tr><td>servers measured</td><td>BenchServer (a Sluice engine and handler), HttpSleepServer (a blocking
 *       handler), FramedCodec (length-framed echo); the peers are in {@code dev.sluice.bench.peers}</td></tr>
 *   <tr><td>closed-loop load</td><td>Load, IdleClient ({@code --idle}), Flags (the command line),
 *       ProcStat (server CPU)</td></tr>
 *   <tr><td>open-loop (fixed-rate) load</td><td>OpenLoop, FixedRateClient, ResponseParser,
 *       HttpConnection</td></tr>
 *   <tr><td>the soak</td><td>Soak (driver), SoakClients (ordinary and misbehaving clients), Dribble
 *       (slow clients' byte I/O), CountingInput, HttpReply, SoakRequest, SoakFiles, SoakCounters,
 *       ServerSample, SoakVerdict</td></tr>
 *   <tr><td>results</td><td>Report (raw lines to markdown tables)</td></tr>
 *   <tr><td>JMH benchmarks</td><td>HttpCodecBenchmark here; ResponseWriterBenchmark and
 *       DeadlineSweepBenchmark sit in the packages they measure</td></tr>
 * </table>
 */
package dev.sluice.bench;
