/**
 * Native socket options through the FFM API (JDK 22+, Linux), found by {@code ServiceLoader} as the
 * core's {@code NativeSocketOptions}. The files by role: LinuxSocketOptions (the provider),
 * SocketDescriptors (a channel's descriptor, from {@code /proc}), Sockopt ({@code setsockopt(2)} and
 * {@code getsockopt(2)}).
 */
package dev.sluice.ffm;
