package dev.firebreak.schedule;

import dev.firebreak.alert.AlertIntake;
import dev.firebreak.alert.AlertSignal;

import java.util.Locale;
import java.util.Map;

/**
 * Findings go to the alert intake as an alert of their own, so {@code bot/alerts.yaml} decides
 * what they open, by the same rules as Alertmanager's: each check of each schedule is one alert
 * group per severity (key {@code <schedule>/<check>/<severity>}, so a warning
 * that turns critical meets the rules for critical), labelled {@code alertname: ScheduledCheck},
 * {@code schedule}, {@code check}, {@code severity} (warning or critical) and {@code source: schedule}. A finding that is
 * over resolves its alert; the intake changes nothing for a repeat.
 */
public final class AlertRulesRoute implements FindingRoute {

    /** The source the received-alerts counter gives scheduled findings. */
    public static final String SOURCE = "schedule";


    static final String ALERT_NAME = "ScheduledCheck";

    private final AlertIntake intake;

    public AlertRulesRoute(AlertIntake intake) {
        this.intake = intake;
    }

    @Override
    public void route(Finding finding) {
        String severity = finding.severity().name().toLowerCase(Locale.ROOT);
        Map<String, String> labels = Map.of("alertname", ALERT_NAME, "schedule", finding.schedule(), "check", finding.check());
        String summary = finding.firing()
                ? "Scheduled check " + finding.schedule() + ": " + finding.check() + " is " + severity + " (" + finding.run() + "): "
                        + finding.summary()
                : "Scheduled check " + finding.schedule() + ": " + finding.check() + " is no longer " + severity + " ("
                        + finding.run() + "): " + finding.summary();
        AlertSignal signal = new AlertSignal(SOURCE, finding.schedule() + "/" + finding.check() + "/" + severity, labels, severity, summary);
        if (finding.firing()) {
            intake.raise(signal);
        } else {
            intake.resolve(signal);
        }
    }
}
