package dev.sluice.tls.tcnative;

import dev.sluice.tls.TlsImplementation;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchProviderException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * {@code --tls-provider tcnative}: server engines from BoringSSL through Netty's {@code
 * netty-tcnative} ({@code SslProvider.OPENSSL}). Its engines read and write records through the
 * caller's buffers, so an idle connection holds only BoringSSL's session state: Conscrypt's keep
 * a pair of 17 KiB buffers and a pipe each.
 *
 * <p>Each context: the key manager's choice per handshake (SNI), its key material converted once
 * per certificate and cached; client certificates verified by {@code trust}; ALPN offered as
 * given, and no protocol sent when the client offers none of them; session tickets on, their keys
 * made and rotated by BoringSSL (every two days); no early data (Netty's default). Renegotiation
 * is refused by the transport before an engine sees it.
 */
public final class TcnativeTls implements TlsImplementation {
    /** The name {@code --tls-provider} takes. */
    public static final String NAME = "tcnative";
    /**
     * What each engine keeps for records BoringSSL writes while no wrap is under way (an alert, a
     * reply made in an unwrap), held as long as the connection: Netty's default is 2 KiB, and an
     * idle connection needs none. More than that waits in BoringSSL for the next wrap, which the
     * engine asks for ({@code NEED_WRAP}); alerts fit.
     */
    static final int UNASKED_OUTPUT_BYTES = 256;

    /** Made by {@link java.util.ServiceLoader}. */
    public TcnativeTls() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SSLContext serverContext(KeyManager keys, TrustManager[] trust, List<String> applicationProtocols)
            throws GeneralSecurityException {
        if (!OpenSsl.isAvailable()) {
            throw new NoSuchProviderException("the TLS provider tcnative is not usable here: "
                    + OpenSsl.unavailabilityCause());
        }
        SslContextBuilder builder = SslContextBuilder
                .forServer(new OpenSslCachingX509KeyManagerFactory(OneKeyManager.factory(keys)))
                .sslProvider(SslProvider.OPENSSL)
                // The certificate's choice runs in the unwrap that reads the ClientHello, as with
                // Conscrypt, not as a delegated task: the transport already takes that unwrap off the loop.
                .option(OpenSslContextOption.USE_TASKS, false);
        if (trust != null && trust.length > 0) {
            builder.trustManager(trust[0]);
        }
        if (!applicationProtocols.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, applicationProtocols));
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new KeyManagementException("tcnative refused the TLS material: " + e.getMessage(), e);
        }
        // Netty turns tickets off unless a JDK property asks; with no keys given BoringSSL makes its own.
        ((OpenSslServerSessionContext) context.sessionContext()).setTicketKeys();
        ((ReferenceCountedOpenSslContext) context).setBioNonApplicationBufferSize(UNASKED_OUTPUT_BYTES);
        return new TcnativeContext(context);
    }
}
