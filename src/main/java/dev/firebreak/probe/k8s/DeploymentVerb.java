package dev.firebreak.probe.k8s;

import java.util.Locale;

/** What an action does to a deployment; the lower-case name is part of the canonical form. */
public enum DeploymentVerb {
    RESTART, SCALE, UNDO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
