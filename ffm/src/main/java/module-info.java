/**
 * Sluice FFM: {@link dev.sluice.core.NativeSocketOptions} for Linux through the FFM API. Exports
 * nothing; core finds the provider with {@link java.util.ServiceLoader}. On the module path it
 * needs {@code --enable-native-access=dev.sluice.ffm}, on the class path
 * {@code --enable-native-access=ALL-UNNAMED}, or the JDK warns at the first native call.
 */
module dev.sluice.ffm {
    requires dev.sluice.core;

    provides dev.sluice.core.NativeSocketOptions with dev.sluice.ffm.LinuxSocketOptions;
}
