/**
 * What an operator watches, for any Sluice HTTP server, in a module of its own so that core and
 * http stay JDK-only. The public types are the API; the rest is package-private. The files by role:
 *
 * <table>
 *   <caption>Files by role</caption>
 *   <tr><th>role</th><th>files</th></tr>
 *   <tr><td>metrics</td><td>{@link dev.sluice.metrics.ServerMetrics} (Micrometer, Prometheus text
 *       format), PrometheusNumbers (plain numbers in the exposition), LatencyHistogram and
 *       RecentWindow (the status page's last ten seconds)</td></tr>
 *   <tr><td>access log</td><td>{@link dev.sluice.metrics.AccessLog} (written off the request
 *       path), {@link dev.sluice.metrics.AccessLogFormat}</td></tr>
 *   <tr><td>admin port</td><td>{@link dev.sluice.metrics.AdminServer} ({@code /health},
 *       {@code /ready}, {@code /metrics}, {@code /status}), StatusPage</td></tr>
 * </table>
 */
package dev.sluice.metrics;
