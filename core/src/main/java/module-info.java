/** Sluice core: transport, engines, limits, timeouts, graceful shutdown and stats. JDK only. */
module dev.sluice.core {
    requires jdk.management;
    requires jdk.net;
    exports dev.sluice.core;
    exports dev.sluice.core.internal to dev.sluice.http, dev.sluice.metrics, dev.sluice.cli;
    uses dev.sluice.core.NativeSocketOptions;
}
