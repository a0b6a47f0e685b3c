package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.util.Map;

/**
 * A read-only diagnostic: an HTTP health check, a chain read, a pod listing, a named SQL query.
 * Implementations validate their arguments (throwing {@link InvalidInput}), bound every call by a
 * timeout, and turn failures of the system under test into a result, never an exception.
 */
@FunctionalInterface
public interface Probe {

    /**
     * @param args the command's arguments by name, merged with the fixed {@code with:} parameters
     *             of the command definition in {@code commands/}
     */
    ProbeResult run(Map<String, String> args);
}
