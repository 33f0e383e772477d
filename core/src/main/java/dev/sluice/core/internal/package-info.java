/**
 * Support shared by Sluice's own modules and by no one else: exported only to them.
 *
 * <ul>
 *   <li>{@link dev.sluice.core.internal.ConfigCopy}: the copy-with behind every config record's
 *       {@code withX} methods.</li>
 *   <li>{@link dev.sluice.core.internal.Spelling}: addresses and durations as the startup
 *       report and the command line write them.</li>
 * </ul>
 */
package dev.sluice.core.internal;
