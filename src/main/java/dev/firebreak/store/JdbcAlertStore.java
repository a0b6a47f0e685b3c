package dev.firebreak.store;

import dev.firebreak.alert.Alert;
import dev.firebreak.alert.AlertStore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The alert_groups and alerts tables. */
public final class JdbcAlertStore implements AlertStore {

    private final Database db;

    public JdbcAlertStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Group> group(String groupKey) {
        return db.jdbi().withHandle(h -> {
            Map<String, Alert.Status> alerts = new LinkedHashMap<>();
            h.createQuery("SELECT fingerprint, status FROM alerts WHERE group_key = :k ORDER BY fingerprint")
                    .bind("k", groupKey)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), Alert.Status.valueOf(rs.getString(2))))
                    .forEach(e -> alerts.put(e.getKey(), e.getValue()));
            return h.createQuery("SELECT group_key, rule_name, dedupe_key, incident_number, first_at FROM alert_groups "
                            + "WHERE group_key = :k")
                    .bind("k", groupKey)
                    .map((rs, ctx) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4) == null ? null : rs.getLong(4), Times.parse(rs.getString(5)), alerts))
                    .findOne();
        });
    }

    @Override
    public Optional<Long> incidentFor(String dedupeKey, Instant since) {
        if (dedupeKey == null) return Optional.empty();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT incident_number FROM alert_groups WHERE dedupe_key = :k "
                        + "AND first_at >= :since AND incident_number IS NOT NULL ORDER BY first_at DESC")
                .bind("k", dedupeKey).bind("since", Times.format(since))
                .mapTo(Long.class).findFirst());
    }

    @Override
    public void save(Group group, List<Alert> changed, Instant at) {
        db.jdbi().useTransaction(h -> {
            int updated = h.createUpdate("UPDATE alert_groups SET rule_name = :rule, dedupe_key = :dedupe, "
                            + "incident_number = :incident, updated_at = :at WHERE group_key = :k")
                    .bind("rule", group.ruleName()).bind("dedupe", group.dedupeKey())
                    .bind("incident", group.incidentNumber()).bind("at", Times.format(at)).bind("k", group.groupKey())
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO alert_groups (group_key, rule_name, dedupe_key, incident_number, first_at, updated_at) "
                                + "VALUES (:k, :rule, :dedupe, :incident, :first, :at)")
                        .bind("k", group.groupKey()).bind("rule", group.ruleName()).bind("dedupe", group.dedupeKey())
                        .bind("incident", group.incidentNumber()).bind("first", Times.format(group.firstAt()))
                        .bind("at", Times.format(at)).execute();
            }
            for (Alert alert : changed) {
                int rows = h.createUpdate("UPDATE alerts SET status = :status, labels = :labels, summary = :summary, "
                                + "updated_at = :at WHERE group_key = :k AND fingerprint = :f")
                        .bind("status", alert.status().name()).bind("labels", Json.write(alert.labels()))
                        .bind("summary", alert.summary()).bind("at", Times.format(at))
                        .bind("k", group.groupKey()).bind("f", alert.fingerprint()).execute();
                if (rows == 0) {
                    h.createUpdate("INSERT INTO alerts (group_key, fingerprint, status, labels, summary, starts_at, updated_at) "
                                    + "VALUES (:k, :f, :status, :labels, :summary, :starts, :at)")
                            .bind("k", group.groupKey()).bind("f", alert.fingerprint()).bind("status", alert.status().name())
                            .bind("labels", Json.write(alert.labels())).bind("summary", alert.summary())
                            .bind("starts", Times.format(alert.startsAt())).bind("at", Times.format(at)).execute();
                }
            }
        });
    }

    @Override
    public List<Alert> alerts(String groupKey) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT fingerprint, status, labels, summary, starts_at FROM alerts "
                        + "WHERE group_key = :k ORDER BY starts_at, fingerprint")
                .bind("k", groupKey)
                .map((rs, ctx) -> new Alert(rs.getString(1), Alert.Status.valueOf(rs.getString(2)), Json.readStrings(rs.getString(3)),
                        Map.of("summary", rs.getString(4)), Times.parse(rs.getString(5))))
                .list());
    }
}
