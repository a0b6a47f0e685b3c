package dev.firebreak.incident;

import java.util.List;

/**
 * Work of other features that belongs to an incident (pending approvals, runbook runs, open
 * alerts), as lines for {@code /incident status}.
 */
@FunctionalInterface
public interface IncidentActivity {

    List<String> describe(Incident incident);
}
