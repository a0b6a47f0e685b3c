package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * A read-only diagnostic: an HTTP health check, a chain read, a pod listing, a named SQL query.
 * Implementations validate their arguments (throwing {@link InvalidInput}), bound every call by a
 * timeout, and turn failures of the system under test into a result, never an exception.
 */
@FunctionalInterface
public interface Probe {

    /** How long a probe that reaches no configured target (or names none) may take. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /**
     * @param args the command's arguments by name, merged with the fixed {@code with:} parameters
     *             of the command definition in {@code commands/}
     */
    ProbeResult run(Map<String, String> args);

    /**
     * How long this probe may take with these arguments: what the configuration of the target they
     * name allows its calls (a service's {@code timeout}, a chain's {@code timeoutMillis} ...). The
     * engine waits that long, up to its own cap.
     */
    default Duration timeout(Map<String, String> args) {
        return DEFAULT_TIMEOUT;
    }

    /** A probe that may take what {@code timeout} says for the arguments it is given. */
    static Probe timed(Probe probe, Function<Map<String, String>, Duration> timeout) {
        return new Probe() {
            @Override
            public ProbeResult run(Map<String, String> args) {
                return probe.run(args);
            }

            @Override
            public Duration timeout(Map<String, String> args) {
                return timeout.apply(args);
            }
        };
    }
}
