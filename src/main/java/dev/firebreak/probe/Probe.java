package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * A read-only diagnostic: an HTTP health check, a chain read, a pod listing, a named SQL query.
 *
 * <p>A probe is written as two steps, so that what judges its arguments is the same whether it
 * runs or is only checked: {@link #prepare} judges the arguments (throwing {@link InvalidInput}
 * saying what is wrong and how to fix it) without reaching anything, and returns the
 * {@link Reading} that reaches the system under test. {@link #run} is the one and the other;
 * {@link #validate} is the first alone, for {@code firebreak check} ({@link FixedArguments}).
 * A reading bounds every call by a timeout and turns failures of the system under test into a
 * result, never an exception.
 */
@FunctionalInterface
public interface Probe {

    /** How long a probe that reaches no configured target (or names none) may take. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** What a probe does with arguments it accepted: the calls to the system under test, and the result. */
    @FunctionalInterface
    interface Reading {
        ProbeResult read();
    }

    /**
     * Judges the arguments and returns what reads with them; reaches nothing. Every rule about an
     * argument's value is applied here, not in the reading, or {@code check} cannot see it.
     *
     * @param args the command's arguments by name, merged with the fixed {@code with:} parameters
     *             of the command definition in {@code commands/}
     * @throws InvalidInput when an argument cannot be used, with what to give instead
     */
    Reading prepare(Map<String, String> args);

    /** Judges the arguments, then reads. */
    default ProbeResult run(Map<String, String> args) {
        return prepare(args).read();
    }

    /** Judges the arguments as {@link #run} does, with its messages, and reads nothing. */
    default void validate(Map<String, String> args) {
        prepare(args);
    }

    /**
     * How long this probe may take with these arguments: what the configuration of the target they
     * name allows its calls (a service's {@code timeout}, a chain's {@code timeoutMillis} ...). The
     * engine waits that long, up to its own cap.
     */
    default Duration timeout(Map<String, String> args) {
        return DEFAULT_TIMEOUT;
    }

    /** A probe that takes no arguments: it always reads. */
    static Probe withoutArguments(Reading reading) {
        return args -> reading;
    }

    /** A probe that may take what {@code timeout} says for the arguments it is given. */
    static Probe timed(Probe probe, Function<Map<String, String>, Duration> timeout) {
        return new Probe() {
            @Override
            public Reading prepare(Map<String, String> args) {
                return probe.prepare(args);
            }

            @Override
            public Duration timeout(Map<String, String> args) {
                return timeout.apply(args);
            }
        };
    }
}
