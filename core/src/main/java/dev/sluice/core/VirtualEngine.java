package dev.sluice.core;

/**
 * A virtual thread ({@code sluice-conn-ID}) per connection, bounded only by
 * {@link ServerConfig#maxConnections()}. Blocking reads and writes park the virtual thread and
 * free its carrier; the code on this path holds no monitor across I/O (so nothing pins a carrier
 * on JDK 21) and caches no buffer in a ThreadLocal.
 */
final class VirtualEngine extends ConnectionEngine {
    VirtualEngine(EngineContext context) {
        super(context);
    }

    @Override
    void dispatch(ConnectionState c) {
        Thread.ofVirtual().name("sluice-conn-" + c.info.id()).start(() -> serve(c));
    }
}
