package dev.sluice.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** {@code setsockopt(2)} and {@code getsockopt(2)} for int options, with errno on failure. */
final class Sockopt {
    /** From Linux's {@code <netinet/in.h>} and {@code <linux/tcp.h>}. */
    static final int IPPROTO_TCP = 6;
    static final int TCP_NOTSENT_LOWAT = 25;
    static final int TCP_INFO = 11;
    /**
     * Where {@code tcpi_bytes_acked} (a {@code __u64}) lies in {@code struct tcp_info}, which
     * Linux has carried there since 4.1; the kernel fills as much of the struct as it knows.
     */
    static final int TCPI_BYTES_ACKED_OFFSET = 120;
    /** Room for every field of {@code struct tcp_info} as of Linux 6.x, and more. */
    private static final int TCP_INFO_BYTES = 512;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    /** int setsockopt(int fd, int level, int name, const void *value, socklen_t length) */
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int getsockopt(int fd, int level, int name, void *value, socklen_t *length) */
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private Sockopt() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor signature) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
        return LINKER.downcallHandle(symbol, signature, Linker.Option.captureCallState("errno"));
    }

    static void setInt(int fd, int level, int name, int value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, v, (int) JAVA_INT.byteSize());
            if (r != 0) {
                throw failed("setsockopt", fd, level, name, state);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt downcall", t);
        }
    }

    static int getInt(int fd, int level, int name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            int r = (int) GETSOCKOPT.invokeExact(state, fd, level, name, v, length);
            if (r != 0) {
                throw failed("getsockopt", fd, level, name, state);
            }
            return v.get(JAVA_INT, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt downcall", t);
        }
    }

    private static IOException failed(String call, int fd, int level, int name, MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        return new IOException(call + "(fd " + fd + ", level " + level + ", option " + name
                + ") failed: errno " + errno);
    }

    /**
     * {@code tcpi_bytes_acked} of the connected TCP socket {@code fd}: the bytes sent that the
     * peer has acknowledged.
     */
    static long bytesAcked(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment info = arena.allocate(TCP_INFO_BYTES);
            MemorySegment length = arena.allocateFrom(JAVA_INT, TCP_INFO_BYTES);
            int r = (int) GETSOCKOPT.invokeExact(state, fd, IPPROTO_TCP, TCP_INFO, info, length);
            if (r != 0) {
                throw failed("getsockopt", fd, IPPROTO_TCP, TCP_INFO, state);
            }
            if (length.get(JAVA_INT, 0) < TCPI_BYTES_ACKED_OFFSET + Long.BYTES) {
                throw new IOException("TCP_INFO of fd " + fd + " is " + length.get(JAVA_INT, 0)
                        + " bytes, too short for tcpi_bytes_acked (Linux 4.1 or later)");
            }
            return info.get(JAVA_LONG_UNALIGNED, TCPI_BYTES_ACKED_OFFSET);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt downcall", t);
        }
    }
}
