package dev.firebreak.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where alert groups and their alerts' last known status are kept. */
public interface AlertStore {

    /**
     * A group as last recorded.
     *
     * @param ruleName       the rule that matched when the group first arrived, or null for none
     * @param incidentNumber the incident the group opened or joined, or null
     * @param alerts         each alert's last status, by fingerprint
     */
    record Group(String groupKey, String ruleName, String dedupeKey, Long incidentNumber, Instant firstAt,
                 Map<String, Alert.Status> alerts) {
        public Group {
            alerts = Map.copyOf(alerts);
        }
    }

    Optional<Group> group(String groupKey);

    /** The incident a group with {@code dedupeKey} opened or joined at or after {@code since}, the latest first. */
    Optional<Long> incidentFor(String dedupeKey, Instant since);

    /** Records the group and the alerts that changed, all or nothing. */
    void save(Group group, List<Alert> changed, Instant at);

    /** A group's alerts as last recorded, the first to start first. */
    List<Alert> alerts(String groupKey);
}
