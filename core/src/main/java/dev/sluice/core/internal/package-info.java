/**
 * Support shared by Sluice's own modules and by no one else: exported only to them.
 *
 * <ul>
 *   <li>{@link dev.sluice.core.internal.ConfigCopy}: the copy-with behind every config record's
 *       {@code withX} methods.</li>
 *   <li>{@link dev.sluice.core.internal.Spelling}: addresses and durations as the startup
 *       report and the command line write them.</li>
 *   <li>{@link dev.sluice.core.internal.IpLiteral}: IP literals read without a name lookup, for
 *       the PROXY header, {@code --trusted-proxies} and the HTTP {@code Forwarded} fields.</li>
 * </ul>
 */
package dev.sluice.core.internal;
