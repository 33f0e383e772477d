/** Sluice core: transport, engines, limits, timeouts, graceful shutdown and stats. JDK only. */
module dev.sluice.core {
    requires jdk.management;
    exports dev.sluice.core;
    uses dev.sluice.core.NativeSocketOptions;
}
