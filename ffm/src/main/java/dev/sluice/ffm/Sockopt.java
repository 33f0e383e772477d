package dev.sluice.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
}
