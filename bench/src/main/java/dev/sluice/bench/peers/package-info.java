/**
 * The JVM servers Sluice is compared with, each after its TechEmpower plaintext entry, started by
 * {@link dev.sluice.bench.peers.Peers} for {@code bench/server.sh}: NettyPeer (epoll or NIO),
 * UndertowPeer, JettyPeer, HelidonPeer, JdkPeer; HttpDate formats the {@code Date} for those that
 * do not.
 */
package dev.sluice.bench.peers;
