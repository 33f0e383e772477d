package dev.sluice.http.examples;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

public class DigestMain {
    /** The SHA-256 of the body, read as it arrives: no thread waits, on the loop or anywhere. */
    static HttpHandler digest() {
        return HttpHandler.async(request -> {
            CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
            request.bodyPublisher().subscribe(new Flow.Subscriber<ByteBuffer>() {
                private final MessageDigest sha = sha256();
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(1); // the server reads one piece from the socket, no more
                }

                @Override
                public void onNext(ByteBuffer piece) {
                    sha.update(piece);
                    subscription.request(1);
                }

                @Override
                public void onError(Throwable e) {
                    answer.completeExceptionally(e); // answered as a handler's exception
                }

                @Override
                public void onComplete() {
                    answer.complete(HttpResponse.ok(HexFormat.of().formatHex(sha.digest()) + "\n"));
                }
            });
            return answer;
        });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults().withEngine(Engine.EVENT_LOOP);
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(16L << 30);
        try (Server server = Server.create(config, HttpProtocol.create(http, digest())).start()) {
            System.out.println("curl -T FILE http://localhost:" + server.port() + "/");
            server.shutdownOnSignal().awaitShutdown();
        }
    }
}
