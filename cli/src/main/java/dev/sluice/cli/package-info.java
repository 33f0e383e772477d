/**
 * The {@code sluice} command (picocli). Not an API: everything here is package-private but the
 * entry point. The files by role:
 *
 * <table>
 *   <caption>Files by role</caption>
 *   <tr><th>role</th><th>files</th></tr>
 *   <tr><td>entry point</td><td>{@link dev.sluice.cli.Main}, VersionProvider, UsageHelp (help with the
 *       environment variable of each flag)</td></tr>
 *   <tr><td>commands</td><td>ServeCommand ({@code serve DIR}), RespondCommand ({@code respond TEXT}),
 *       EchoCommand ({@code echo})</td></tr>
 *   <tr><td>flags (picocli mixins), one per config component</td>
 *       <td>ServerOptions (ServerConfig), HttpOptions (HttpConfig), AdminOptions, AccessLogOptions,
 *       LogOptions; FlagDefaults ({@code SLUICE_*} environment defaults), DurationConverter</td></tr>
 *   <tr><td>running a server</td><td>ServerRunner (signals, startup report), ServeSupport (what runs
 *       beside it)</td></tr>
 *   <tr><td>what runs beside a server</td><td>AdminOptions and AccessLogOptions choose; the admin
 *       server, metrics and access log themselves live in the {@code metrics} module</td></tr>
 *   <tr><td>serve's extras</td><td>BasicAuthFilter and Htpasswd ({@code --basic-auth}),
 *       ResponseHeaders ({@code --header})</td></tr>
 *   <tr><td>logs</td><td>LineFormatter (one line per log record on stderr)</td></tr>
 * </table>
 */
package dev.sluice.cli;
