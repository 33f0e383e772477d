/**
 * HTTP/1.1 for Sluice: a sans-I/O codec that any core engine drives, the handler API, a router
 * and a static file server. The files by role:
 *
 * <table>
 *   <caption>Files by role</caption>
 *   <tr><th>role</th><th>files</th></tr>
 *   <tr><td>API: entry point and configuration</td>
 *       <td>{@link dev.sluice.http.HttpProtocol} (start here), {@link dev.sluice.http.HttpConfig}</td></tr>
 *   <tr><td>API: requests, responses, handlers</td>
 *       <td>{@link dev.sluice.http.HttpRequest}, {@link dev.sluice.http.Headers},
 *       {@link dev.sluice.http.HttpResponse}, {@link dev.sluice.http.BodySegment},
 *       {@link dev.sluice.http.HttpHandler}, {@link dev.sluice.http.HttpException}</td></tr>
 *   <tr><td>API: routing</td><td>{@link dev.sluice.http.Router}; Route (one route)</td></tr>
 *   <tr><td>API: observing exchanges</td>
 *       <td>{@link dev.sluice.http.HttpObserver}, {@link dev.sluice.http.Exchange}; ExchangeMeter (what the
 *       codec reports, or nothing), ObservingMeter (measures for an observer)</td></tr>
 *   <tr><td>codec: one connection's state machine</td>
 *       <td>HttpCodec (decode, encode, errors, timeouts; its states drawn in its Javadoc)</td></tr>
 *   <tr><td>codec: parsing a request</td>
 *       <td>HeadParser (request line and fields), RequestTarget, FieldSection, Framing (body length,
 *       persistence, smuggling checks), ChunkedParser, BodyBuffer, Grammar (RFC character classes),
 *       PercentDecoder</td></tr>
 *   <tr><td>codec: writing a response</td>
 *       <td>ResponseWriter, RequestShape (HEAD, HTTP/1.0), Persistence (keep-alive or close),
 *       SegmentChannels (files of a segmented body), StatusLines, DateCache</td></tr>
 *   <tr><td>static files (public API only, as a user's file server would be)</td>
 *       <td>{@link dev.sluice.http.StaticFiles}, {@link dev.sluice.http.StaticFilesConfig}; SafePaths (no way
 *       out of the root), FileResponder (validators, conditionals, ranges), Conditionals,
 *       RangeParser, AcceptEncoding (precompressed siblings), ContentTypes, HttpDates,
 *       DirectoryListing</td></tr>
 * </table>
 */
package dev.sluice.http;
