package dev.sluice.core;

/** How much a connection may hold in memory, the same on every engine. */
final class Buffering {
    /** A codec that leaves this much unconsumed without deciding is broken: the connection closes. */
    static final int MAX_UNDECODED_BYTES = 1 << 20;
    /**
     * Encoded responses held while pipelined requests are still being decoded: past it the batch
     * is written (blocking engines) or decoding pauses until the client reads (event loop).
     */
    static final int MAX_BUFFERED_OUT_BYTES = 256 << 10;
    /**
     * The most one blocking write sends at a time, so a slow but steady reader shows progress
     * slice by slice and the write timeout does not cut it: one batch of held responses.
     */
    static final int WRITE_SLICE_BYTES = MAX_BUFFERED_OUT_BYTES;

    private Buffering() {
    }
}
