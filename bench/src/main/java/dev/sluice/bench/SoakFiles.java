package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The files the soak's server serves, and the bytes the clients expect back. {@link #generate}
 * writes them (seeded pseudo-random bytes, so a shifted or repeated range cannot pass for the
 * right one); {@link #load} reads them back, so the clients compare against what is on disk.
 *
 * @param small the small files, {@code small-N.bin}, sizes from {@link #SMALL_SIZES}
 * @param big {@value #BIG_NAME}, {@value #BIG_BYTES} bytes
 */
record SoakFiles(List<byte[]> small, byte[] big) {
    /** Sizes of the small files: empty, one byte, a packet, and either side of a 16 KiB buffer. */
    static final int[] SMALL_SIZES = {0, 1, 100, 1_024, 16_383, 16_385, 65_536};
    static final String BIG_NAME = "big.bin";
    static final int BIG_BYTES = 1 << 20;

    static String smallName(int i) {
        return "small-" + i + ".bin";
    }

    /** Writes the files into {@code dir}, which must exist. */
    static void generate(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < SMALL_SIZES.length; i++) {
            Files.write(dir.resolve(smallName(i)), bytes(random, SMALL_SIZES[i]));
        }
        Files.write(dir.resolve(BIG_NAME), bytes(random, BIG_BYTES));
    }

    static SoakFiles load(Path dir) throws IOException {
        List<byte[]> small = new ArrayList<>();
        for (int i = 0; i < SMALL_SIZES.length; i++) {
            small.add(Files.readAllBytes(dir.resolve(smallName(i))));
        }
        return new SoakFiles(List.copyOf(small), Files.readAllBytes(dir.resolve(BIG_NAME)));
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
