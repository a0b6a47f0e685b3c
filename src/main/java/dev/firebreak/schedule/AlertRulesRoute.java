package dev.firebreak.schedule;

import dev.firebreak.alert.Alert;
import dev.firebreak.alert.AlertIntake;
import dev.firebreak.alert.AlertmanagerNotification;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Findings go to the alert intake as an alert of their own, so {@code bot/alerts.yaml} decides
 * what they open, by the same rules as Alertmanager's: each check of each schedule is one alert
 * group per severity ({@code firebreak-schedule/<schedule>/<check>/<severity>}, so a warning
 * that turns critical meets the rules for critical), labelled {@code alertname: ScheduledCheck},
 * {@code schedule}, {@code check} and {@code severity} (warning or critical). A finding that is
 * over resolves its alert; the intake changes nothing for a repeat.
 */
public final class AlertRulesRoute implements FindingRoute {

    /** The source the received-alerts counter gives scheduled findings. */
    public static final String SOURCE = "schedule";


    static final String ALERT_NAME = "ScheduledCheck";

    private final AlertIntake intake;
    private final Clock clock;

    public AlertRulesRoute(AlertIntake intake, Clock clock) {
        this.intake = intake;
        this.clock = clock;
    }

    @Override
    public void route(Finding finding) {
        Alert.Status status = finding.firing() ? Alert.Status.FIRING : Alert.Status.RESOLVED;
        String severity = finding.severity().name().toLowerCase(Locale.ROOT);
        Map<String, String> labels = Map.of("alertname", ALERT_NAME, "schedule", finding.schedule(), "check", finding.check(),
                "severity", severity);
        String summary = "Scheduled check " + finding.schedule() + ": " + finding.check() + " is " + severity + " (" + finding.run()
                + "): " + finding.summary();
        String key = "firebreak-schedule/" + finding.schedule() + "/" + finding.check() + "/" + severity;
        Alert alert = new Alert(fingerprint(key), status, labels, Map.of("summary", finding.firing() ? summary
                : "Scheduled check " + finding.schedule() + ": " + finding.check() + " is no longer " + severity + " ("
                + finding.run() + "): " + finding.summary()), clock.instant());
        intake.receive(SOURCE, new AlertmanagerNotification(key, finding.firing() ? "firing" : "resolved",
                Map.of("alertname", ALERT_NAME, "schedule", finding.schedule()), labels, List.of(alert)));
    }

    /** A stable fingerprint for a check, as Alertmanager gives one per label set: 16 hex digits. */
    private static String fingerprint(String key) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
