package dev.sluice.core;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the server's log (all levels, from {@link CapturingLoggerFinder}) when a test fails. */
public final class ServerLog implements BeforeEachCallback, TestWatcher {
    @Override
    public void beforeEach(ExtensionContext context) {
        CapturingLoggerFinder.clear();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("---- server log of " + context.getDisplayName() + " ----");
        CapturingLoggerFinder.drain().forEach(System.err::println);
        System.err.println("---- end of server log ----");
    }
}
