package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider of native socket options that cannot be used is skipped, never fatal. */
class ListenerOptionsTest {
    private static final String SERVICES = "META-INF/services/" + NativeSocketOptions.class.getName();

    /** Cannot be instantiated. */
    public static final class Broken implements NativeSocketOptions {
        public Broken() {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public void setNotSentLowat(ServerSocketChannel listener, int bytes) {
        }
    }

    private static void declare(Path dir) throws IOException {
        Path services = dir.resolve(SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, Broken.class.getName() + "\n");
    }

    @Test
    void aProviderThatFailsToInstantiateIsSkipped(@TempDir Path dir) throws IOException {
        declare(dir);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                ListenerOptionsTest.class.getClassLoader())) {
            assertThat(ListenerOptions.find(loader)).isEmpty();
        }
    }

    @Test
    void aProviderBuiltForANewerJdkIsSkipped(@TempDir Path dir) throws IOException {
        // As sluice.jar built on JDK 25 and run on 21: the provider's class file is too new.
        declare(dir);
        String file = Broken.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = ListenerOptionsTest.class.getClassLoader().getResourceAsStream(file)) {
            bytes = in.readAllBytes();
        }
        bytes[6] = 0; // the major version, bytes 6-7 of a class file
        bytes[7] = 99;
        Path copy = dir.resolve(file);
        Files.createDirectories(copy.getParent());
        Files.write(copy, bytes);
        // A parent that sees NativeSocketOptions but not Broken: the class can only come from the
        // copy, and only its version can fail it.
        ClassLoader withoutBroken = new ClassLoader(ListenerOptionsTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Broken.class.getName())) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, withoutBroken)) {
            assertThat(ListenerOptions.find(loader)).isEmpty();
        }
    }
}
