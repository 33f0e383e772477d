package dev.sluice.tls;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Reloads a {@link CertificateReloader} when its files change.
 *
 * <p>A change is decided by content, not by events: for each file, its real path (symbolic links
 * followed), size, modification time and SHA-256 are compared with the last check's. Events only
 * say when to check. The watched directories are each file's own parent and the parent of its
 * real path, so both renewal styles count: Kubernetes swaps the {@code ..data} link in the mounted
 * directory, certbot writes a new file under {@code archive/} and repoints the links in
 * {@code live/}. After an event the watcher waits until the directories have been quiet for the
 * debounce period (a renewal writes several files), then checks once. It also checks every
 * {@link #POLL_INTERVAL} without events, for file systems that send none (some network and
 * container mounts).
 *
 * <p>The first check compares with the files as they were when the watcher started: start it
 * right after {@link CertificateReloader#load}, or a change made in between is seen only with the
 * next one.
 *
 * <p>One platform daemon thread, {@code sluice-tls-watcher}, runs the checks and the reloads;
 * {@link #checkNow()} runs one on the caller's thread.
 */
public final class CertificateWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CertificateWatcher.class.getName());
    /** How often the files are checked when no event arrives. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(60);

    private final CertificateReloader reloader;
    private final Duration debounce;
    private final WatchService watchService;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private Map<Path, String> lastSeen;
    private Thread thread;

    private CertificateWatcher(CertificateReloader reloader, Duration debounce, WatchService watchService) {
        this.reloader = reloader;
        this.debounce = debounce;
        this.watchService = watchService;
        this.lastSeen = fingerprints(reloader.files());
    }

    /**
     * Starts watching {@code reloader}'s files on a new thread.
     *
     * @param debounce how long the directories must stay quiet after an event before the check;
     *     not negative
     * @throws IOException if a directory cannot be watched
     */
    public static CertificateWatcher start(CertificateReloader reloader, Duration debounce) throws IOException {
        Objects.requireNonNull(reloader, "reloader");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative, got " + debounce);
        }
        CertificateWatcher watcher = withoutThread(reloader, debounce);
        watcher.thread = Thread.ofPlatform().name("sluice-tls-watcher").daemon().start(watcher::run);
        return watcher;
    }

    /** A watcher whose checks run only through {@link #checkNow()}: for tests, no race with the thread. */
    static CertificateWatcher withoutThread(CertificateReloader reloader, Duration debounce) throws IOException {
        CertificateWatcher watcher = new CertificateWatcher(reloader, debounce,
                java.nio.file.FileSystems.getDefault().newWatchService());
        try {
            watcher.registerDirectories();
        } catch (IOException | RuntimeException e) {
            watcher.watchService.close();
            throw e;
        }
        return watcher;
    }

    /**
     * Checks the files now and reloads when one changed since the last check.
     *
     * @return whether a reload ran (whatever its outcome: see {@link CertificateReloader#stats()})
     */
    public synchronized boolean checkNow() {
        Map<Path, String> now = fingerprints(reloader.files());
        boolean changed = !now.equals(lastSeen);
        // A failed reload is not retried until the files change again: retrying the same broken
        // files would log the same failure every interval.
        lastSeen = now;
        if (changed) {
            reloader.reload();
            try {
                registerDirectories();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "tls_watch_failed reason={0}", e.toString());
            }
        }
        return changed;
    }

    /** Stops the thread and the watch; the reloader stays in service. */
    @Override
    public void close() throws IOException {
        watchService.close();
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watchService.poll(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                while (key != null) {
                    key.pollEvents();
                    key.reset();
                    key = watchService.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
                }
                checkNow();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close(): the end.
        }
    }

    private synchronized void registerDirectories() throws IOException {
        for (Path file : reloader.files()) {
            Path absolute = file.toAbsolutePath().normalize();
            register(absolute.getParent());
            try {
                register(absolute.toRealPath().getParent());
            } catch (IOException e) {
                // Missing now (mid-swap): its own directory is watched, the next change re-registers.
            }
        }
    }

    private void register(Path directory) throws IOException {
        if (directory != null && !watched.containsKey(directory)) {
            watched.put(directory, directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        }
    }

    /** Per file: real path, size, mtime and SHA-256, or why it could not be read. */
    static Map<Path, String> fingerprints(List<Path> files) {
        Map<Path, String> result = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                Path real = file.toRealPath();
                result.put(file, real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis()
                        + " " + sha256(real));
            } catch (IOException e) {
                result.put(file, "unreadable: " + e);
            }
        }
        return result;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
