package dev.firebreak.schedule;

/**
 * Where a scheduled check's finding goes beyond the digest: the alert rules, which open an alert
 * or an incident for it by the same rules as Alertmanager's alerts. A finding at warning or
 * critical is raised; a check that is fine again after one was is reported fine, so what it
 * opened can resolve.
 */
@FunctionalInterface
public interface FindingRoute {

    void route(Finding finding);

    /**
     * @param check   the check's label (its command line or its position), stable from run to run
     * @param run     the run that found it, S-n
     */
    record Finding(String schedule, String check, CheckResult.Status status, String summary, String run) {

        public boolean firing() {
            return status == CheckResult.Status.WARNING || status == CheckResult.Status.CRITICAL;
        }
    }
}
