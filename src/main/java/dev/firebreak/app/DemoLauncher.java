package dev.firebreak.app;

import java.nio.file.Path;

/**
 * {@code firebreak demo}: local peers for every runbook and the console on them. It ships in
 * {@code firebreak-demo.jar} with its peers, never in the production jar; {@link Main} finds it on the
 * class path through {@link java.util.ServiceLoader}, and {@code ./firebreak demo} puts it there.
 */
public interface DemoLauncher {

    /** Runs the demo on the configuration in {@code configRoot} until the console's input ends; returns the exit code. */
    int run(Path configRoot, boolean fresh);
}
