package dev.sluice.tls;

import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.ServiceLoader;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;

/**
 * Finds the TLS implementation {@link TlsConfig#provider()} names and makes contexts from it.
 * {@value TlsConfig#DEFAULT_PROVIDER} is the JDK's own (SunJSSE), asked for by name so that a
 * provider installed ahead of it does not take its place. Any other name is looked for among the
 * installed providers ({@link Security#addProvider}); {@code conscrypt}, when it is not installed,
 * is made once from {@code org.conscrypt.Conscrypt} on the class path, without this module
 * depending on it; {@code tcnative} is a {@link TlsImplementation} service.
 */
final class TlsProviders {
    static final String CONSCRYPT = "Conscrypt";
    private static final String JDK = "SunJSSE";

    private TlsProviders() {
    }

    /**
     * An initialized server context from the implementation named {@code name}: a {@link
     * TlsImplementation} of that name on the class path, else a JCA provider ({@link #find}).
     */
    static SSLContext newContext(String name, KeyManager keys, TrustManager[] trust, List<String> alpn)
            throws GeneralSecurityException {
        SSLContext context;
        if (name.equalsIgnoreCase(TlsConfig.DEFAULT_PROVIDER)) {
            context = SSLContext.getInstance("TLS", JDK);
        } else {
            for (TlsImplementation i : ServiceLoader.load(TlsImplementation.class)) {
                if (i.name().equalsIgnoreCase(name)) {
                    return i.serverContext(keys, trust, alpn);
                }
            }
            context = SSLContext.getInstance("TLS", find(name));
        }
        context.init(new KeyManager[] {keys}, trust, null);
        return context;
    }

    /**
     * The provider named {@code name}, without regard to case.
     *
     * @throws NoSuchProviderException if it is neither installed nor Conscrypt on the class path
     */
    static Provider find(String name) throws NoSuchProviderException {
        for (Provider p : Security.getProviders()) {
            if (p.getName().equalsIgnoreCase(name)) {
                return p;
            }
        }
        if (name.equalsIgnoreCase(CONSCRYPT)) {
            Loaded conscrypt = ConscryptHolder.LOADED;
            if (conscrypt.provider() == null) {
                throw new NoSuchProviderException("the TLS provider conscrypt is not usable here: "
                        + conscrypt.problem());
            }
            return conscrypt.provider();
        }
        throw new NoSuchProviderException("no TLS provider named " + name + " is installed (jdk is the JDK's own;"
                + " conscrypt needs org.conscrypt:conscrypt-openjdk-uber on the class path, tcnative"
                + " dev.sluice:sluice-tls-tcnative)");
    }

    /**
     * What {@link TlsConfig} promises that a provider leaves off by default: Conscrypt's server
     * engines issue no session tickets, so TLS 1.3 clients could never resume.
     */
    static void configure(SSLEngine engine) {
        if (!engine.getClass().getName().startsWith("org.conscrypt.")) {
            return; // and Conscrypt is never loaded for the JDK's engines
        }
        Method tickets = ConscryptHolder.LOADED.useSessionTickets();
        if (tickets != null) {
            try {
                tickets.invoke(null, engine, true);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Conscrypt.setUseSessionTickets failed", e);
            }
        }
    }

    /** A provider made from the class path and its ticket switch, or why it could not be. */
    private record Loaded(Provider provider, Method useSessionTickets, String problem) {
    }

    /** Conscrypt's provider, made once, on first use: it loads its native library then. */
    private static final class ConscryptHolder {
        static final Loaded LOADED = load();

        private static Loaded load() {
            try {
                Class<?> c = Class.forName("org.conscrypt.Conscrypt");
                return new Loaded((Provider) c.getMethod("newProvider").invoke(null),
                        c.getMethod("setUseSessionTickets", SSLEngine.class, boolean.class), null);
            } catch (ClassNotFoundException e) {
                return new Loaded(null, null, "org.conscrypt:conscrypt-openjdk-uber is not on the class path");
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return new Loaded(null, null, "it did not load (" + cause + ")");
            }
        }
    }
}
