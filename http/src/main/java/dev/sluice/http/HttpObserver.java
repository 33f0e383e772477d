package dev.sluice.http;

/**
 * Sees every exchange of a server, once its response is encoded: for metrics, access logs,
 * tracing. Pass one to {@link HttpProtocol#create(HttpConfig, HttpHandler, HttpObserver)}.
 *
 * <pre>{@code
 * LongAdder errors = new LongAdder();
 * HttpObserver observer = e -> {
 *     if (e.status() >= 500) {
 *         errors.increment();
 *     }
 * };
 * Server.create(config, HttpProtocol.create(HttpConfig.defaults(), router, observer));
 * }</pre>
 *
 * <p>Seen: every response the codec encodes, the handler's and the codec's own, so errors too:
 * a malformed request (400, 414, 431, 501, 505...), a body too large (413), an expectation
 * refused (417), a head that took too long (408), a handler that threw (500). Not seen: a
 * client turned away at the connection limit (its 503 is sent by the core before any codec
 * exists), and a connection that closes without a response.
 *
 * <p>Threads: called on the thread that drives the connection, inside the request path: the
 * connection's own thread on the blocking engines, the selector thread on {@code event-loop},
 * where every connection of that loop waits while it runs. An exchange whose response is a stream
 * is reported once the stream has been sent (or cut short), its bytes counted, on the thread that
 * read it: on {@code event-loop}, a virtual thread. So it must be fast and must never
 * block: count with striped adders, or hand a small record to a bounded queue that another thread
 * drains (and drop it when the queue is full; never wait). Calls for one connection come one at
 * a time, in response order; calls for different connections come concurrently, so an observer
 * must be thread-safe. An exception it throws is logged (WARNING) and otherwise ignored: the
 * response is already encoded.
 */
@FunctionalInterface
public interface HttpObserver {

    /**
     * One exchange, its response encoded (the bytes may not have left yet). The
     * {@link Exchange} may be kept, but it holds the request, body included: keep what you need.
     */
    void onExchange(Exchange exchange);
}
