/**
 * Sluice's transport: listen, admit, serve each connection on an engine, keep to the limits and
 * timeouts, shut down gracefully. JDK only; knows nothing of HTTP.
 *
 * <h2>The API (public)</h2>
 * {@link dev.sluice.core.Server} (lifecycle), {@link dev.sluice.core.ServerConfig} and
 * {@link dev.sluice.core.MinDataRate} (settings), {@link dev.sluice.core.Engine} and
 * {@link dev.sluice.core.OverloadPolicy} (choices), {@link dev.sluice.core.Protocol},
 * {@link dev.sluice.core.Codec}, {@link dev.sluice.core.Output} and
 * {@link dev.sluice.core.Handler} and {@link dev.sluice.core.ProtocolException} (a protocol
 * served on every engine; {@link dev.sluice.core.EchoProtocol} the smallest one),
 * {@link dev.sluice.core.ConnectionHandler}, {@link dev.sluice.core.Connection} and
 * {@link dev.sluice.core.ConnectionInfo} (plain blocking code per connection),
 * {@link dev.sluice.core.TrustedProxies} and {@link dev.sluice.core.ProxyInfo} (the PROXY
 * protocol behind a load balancer),
 * {@link dev.sluice.core.Stats} and {@link dev.sluice.core.CloseReason} (what happened),
 * {@link dev.sluice.core.NativeSocketOptions} (the {@code ffm} module's hook).
 *
 * <h2>Inside (package-private), by role</h2>
 * <table>
 *   <caption>Files and their roles</caption>
 *   <tr><th>role</th><th>files</th></tr>
 *   <tr><td>accept loop</td><td>{@code Acceptor} (its own thread, or called by the first event
 *       loop); {@code ListenerOptions} (socket options of the listener)</td></tr>
 *   <tr><td>admission</td><td>{@code Admission}: permits, per-address counts, eviction of idle
 *       connections for newcomers</td></tr>
 *   <tr><td>open connections</td><td>{@code OpenConnections}: the registry, and the one place a
 *       connection is opened and closed</td></tr>
 *   <tr><td>phases and deadlines</td><td>{@code ConnectionState}: a connection's phases, their
 *       legal transitions and deadlines (state diagram in its Javadoc), and the one expiry
 *       method; {@code Timeouts}: the settings they apply and the sweeps' tick; {@code Timer}: the blocking engines'
 *       sweeper</td></tr>
 *   <tr><td>what engines see</td><td>{@code EngineContext}: the narrow view of the server the
 *       engines, the acceptor and the timer get</td></tr>
 *   <tr><td>engines</td><td>{@code ConnectionEngine} (the strategy, and the blocking engines'
 *       shared serve); {@code SequentialEngine}, {@code ThreadPerConnectionEngine},
 *       {@code PoolEngine}, {@code VirtualEngine}, {@code EventLoopEngine}</td></tr>
 *   <tr><td>serving one connection</td><td>{@code Exchange} (codec and handler: the one place a
 *       handler is called); {@code BlockingConnection} (on a thread of its own);
 *       {@code EventLoop} (a selector thread: select, accept, sweep, close) and
 *       {@code LoopConnection} (one connection on it: read, decode, handle, write);
 *       {@code StreamConnection} (the streams a {@code ConnectionHandler} gets)</td></tr>
 *   <tr><td>PROXY protocol</td><td>{@code ProxyHeaderParser} (the header's decoder, sans I/O);
 *       {@code ProxyHeaderReader} (reads it before a connection's protocol or TLS, and admits the
 *       client it names); {@code internal.IpLiteral} (addresses read without a lookup)</td></tr>
 *   <tr><td>TLS</td><td>{@code TlsChannel} (TLS over a socket, through {@code SSLEngine});
 *       {@code DelegatedTasks} (the handshake's costly steps, on or off the calling thread)</td></tr>
 *   <tr><td>bytes</td><td>{@code OutboundBuffer} (answers waiting to be written),
 *       {@code BufferPool} (output chunks and read buffers lent while bytes flow),
 *       {@code Buffering} (the sizes every engine keeps to)</td></tr>
 *   <tr><td>the rest</td><td>{@code StartupReport} (the lines printed at start), {@code Log}
 *       (the core's logger), {@code Quietly}
 *       (the one close that drops an exception)</td></tr>
 * </table>
 */
package dev.sluice.core;
