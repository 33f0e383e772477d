package dev.sluice.tls.tcnative;

import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;

/** A key manager factory that hands out one key manager made elsewhere, as Netty's caching factory wants one. */
final class OneKeyManager extends KeyManagerFactorySpi {
    private final KeyManager keys;

    private OneKeyManager(KeyManager keys) {
        this.keys = keys;
    }

    /** A factory, already initialized, whose only manager is {@code keys}. */
    static KeyManagerFactory factory(KeyManager keys) {
        return new KeyManagerFactory(new OneKeyManager(keys), TcnativeContext.PROVIDER, "Sluice") {
        };
    }

    @Override
    protected void engineInit(KeyStore store, char[] password) {
        // Made initialized: there is nothing to load.
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
        // Made initialized: there is nothing to load.
    }

    @Override
    protected KeyManager[] engineGetKeyManagers() {
        return new KeyManager[] {keys};
    }

    /** The provider the wrappers of this module name as theirs. */
    static final class TcnativeProvider extends Provider {
        private static final long serialVersionUID = 1L;

        TcnativeProvider() {
            super("Tcnative", "1.0", "BoringSSL through netty-tcnative, for Sluice's --tls-provider tcnative");
        }
    }
}
