/**
 * What an operator watches, for any Sluice HTTP server: {@link dev.sluice.metrics.ServerMetrics}
 * (Micrometer, Prometheus format), {@link dev.sluice.metrics.AccessLog} and
 * {@link dev.sluice.metrics.AdminServer}. A module of its own so that core and http stay JDK-only.
 */
module dev.sluice.metrics {
    requires transitive dev.sluice.core;
    requires transitive dev.sluice.http;
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus;

    exports dev.sluice.metrics;
}
