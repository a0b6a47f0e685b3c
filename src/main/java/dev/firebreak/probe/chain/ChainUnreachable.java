package dev.firebreak.probe.chain;

/** No RPC endpoint of a chain answered correctly; the message names endpoints by host only. */
class ChainUnreachable extends RuntimeException {
    ChainUnreachable(String message) {
        super(message);
    }
}
