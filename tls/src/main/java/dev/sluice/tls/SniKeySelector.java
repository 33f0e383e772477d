package dev.sluice.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager: picks, for each handshake, the certificate and key that serve the
 * server name the client asked for (SNI, RFC 6066 3).
 *
 * <p>Rules, for the key type the JDK asks about ({@code RSA} or {@code EC}; it asks once per type
 * the client can verify, in the client's order of preference, and takes the first answer):
 * <ol>
 *   <li>When some pair's SANs match the name ({@link HostNames}), only those pairs qualify: the
 *       first of them with the asked type, else none (the JDK then asks for the next type).</li>
 *   <li>When no name was sent, or no pair matches it, the first pair serves, and so do the pairs
 *       with exactly its names (the same site in another key type): the first of them with the
 *       asked type. A client that can use none of their key types fails the handshake, as with
 *       nginx's default server.</li>
 * </ol>
 * Immutable: a reload builds a new one. Runs on whichever thread runs the handshake.
 */
final class SniKeySelector extends X509ExtendedKeyManager {
    private final List<Entry> entries;
    /** The first pair, and those with exactly its names: what serves no or unknown names. */
    private final List<Entry> defaults;

    private record Entry(String alias, CertifiedKey key, String type, List<String> names) {
    }

    SniKeySelector(List<CertifiedKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys is empty");
        }
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            CertifiedKey k = keys.get(i);
            list.add(new Entry("sluice-" + i, k, k.key().getAlgorithm(), HostNames.subjectAltNames(k.certificate())));
        }
        this.entries = List.copyOf(list);
        List<String> firstNames = list.get(0).names();
        this.defaults = list.stream().filter(e -> e.names().equals(firstNames)).toList();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    String choose(String keyType, SSLSession session) {
        String name = requestedName(session);
        if (name != null) {
            List<Entry> named = entries.stream().filter(e -> HostNames.matchesAny(e.names(), name)).toList();
            if (!named.isEmpty()) {
                return firstOfType(named, keyType);
            }
        }
        return firstOfType(defaults, keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = byAlias(alias);
        return e == null ? null : e.key().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = byAlias(alias);
        return e == null ? null : e.key().key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String[] aliases = entries.stream().filter(e -> e.type().equals(keyType)).map(Entry::alias)
                .toArray(String[]::new);
        return aliases.length == 0 ? null : aliases;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private Entry byAlias(String alias) {
        for (Entry e : entries) {
            if (e.alias().equals(alias)) {
                return e;
            }
        }
        return null;
    }

    private static String firstOfType(List<Entry> candidates, String keyType) {
        for (Entry e : candidates) {
            if (e.type().equals(keyType)) {
                return e.alias();
            }
        }
        return null;
    }

    /** The host name the client sent, lower case, or null. */
    private static String requestedName(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession ext)) {
            return null;
        }
        for (SNIServerName n : ext.getRequestedServerNames()) {
            if (n.getType() == StandardConstants.SNI_HOST_NAME) {
                SNIHostName host = n instanceof SNIHostName h ? h : new SNIHostName(n.getEncoded());
                return host.getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
