package dev.firebreak.schedule;

/**
 * Where a scheduled check's finding goes beyond the digest: the alert rules, which open an alert
 * or an incident for it by the same rules as Alertmanager's alerts. A finding at warning or
 * critical is raised at each run that finds it; when a later run finds the check fine, or at the
 * other severity, the earlier finding is reported over, so what it opened can resolve.
 */
@FunctionalInterface
public interface FindingRoute {

    void route(Finding finding);

    /**
     * @param check    the check's label (its command line), stable from run to run
     * @param severity WARNING or CRITICAL
     * @param firing   true while the check is found at this severity; false once it no longer is
     * @param run      the run that found it (or found it over), S-n
     */
    record Finding(String schedule, String check, CheckResult.Status severity, boolean firing, String summary, String run) {}
}
