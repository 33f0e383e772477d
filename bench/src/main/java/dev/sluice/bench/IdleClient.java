package dev.sluice.bench;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code Load --idle N}: opens N connections at once, does one exchange on each (so the server has
 * really taken each one up, not just the kernel), prints {@code ready connected=.. answered=..},
 * keeps them open and silent until standard input ends, then closes them. A script measures the
 * server's memory while this holds the connections.
 */
final class IdleClient {
    private IdleClient() {
    }

    static void run(Load load, int n, Duration exchangeTimeout) throws Exception {
        Socket[] sockets = load.connectAll(n);
        LongAdder answered = new LongAdder();
        LongAdder failed = new LongAdder();
        long deadline = System.nanoTime() + exchangeTimeout.toNanos();
        List<Thread> threads = new ArrayList<>(n);
        for (Socket s : sockets) {
            if (s == null) {
                continue;
            }
            threads.add(Thread.ofVirtual().start(() -> {
                if (exchange(load, s, deadline)) {
                    answered.increment();
                } else {
                    failed.increment();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        int connected = threads.size();
        System.out.println("ready connected=" + connected + " answered=" + answered.sum()
                + " failed=" + failed.sum() + " connect_failed=" + (n - connected));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold the connections until the script closes our stdin.
        }
        for (Socket s : sockets) {
            Load.closeQuietly(s);
        }
    }

    /** One exchange on {@code s}, by the deadline every exchange shares; whether it was answered. */
    private static boolean exchange(Load load, Socket s, long deadline) {
        try {
            // One deadline for all, so engines that leave connections waiting in the backlog cost
            // seconds, not minutes.
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            s.setSoTimeout((int) left);
            boolean answered = load.exchange(s, load.newAnswerBuffer());
            s.setSoTimeout(0);
            return answered;
        } catch (IOException e) {
            return false;
        }
    }
}
