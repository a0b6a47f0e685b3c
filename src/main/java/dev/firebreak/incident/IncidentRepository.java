package dev.firebreak.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores incidents, their roles and their append-only timeline. */
public interface IncidentRepository {

    /** Stores a new incident with its first timeline event and returns it with its number. */
    Incident create(NewIncident incident, Instant at);

    Optional<Incident> find(long number);

    Optional<Incident> findByChannel(String platform, String channelId);

    List<Incident> open();

    List<Incident> all();

    void update(Incident incident);

    void append(TimelineEvent event);

    List<TimelineEvent> timeline(long number);

    /** Gives the role to a person, ending whoever held it before. */
    void assignRole(long number, String role, String person, Instant at);

    List<RoleAssignment> roles(long number);

    /** True when a channel name is taken by an earlier incident. */
    boolean channelNameTaken(String channelName);

    record NewIncident(String severity, String title, boolean security, String platform, String channelId,
                       String channelName, String declaredBy) {}
}
