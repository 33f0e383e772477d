/**
 * The {@code sluice} command line. Exports nothing: its interface is the command. The runnable jar
 * runs it on the class path; this descriptor still checks its dependencies at compile time.
 */
module dev.sluice.cli {
    requires dev.sluice.core;
    requires dev.sluice.http;
    requires info.picocli;
    requires dev.sluice.metrics;
    requires dev.sluice.tls;
    requires java.logging;
    requires org.bouncycastle.provider;
    requires jdk.unsupported;
    requires jdk.management;

    opens dev.sluice.cli to info.picocli;
}
