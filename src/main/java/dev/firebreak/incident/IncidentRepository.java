package dev.firebreak.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores incidents, their roles and their append-only timeline. */
public interface IncidentRepository {

    /** Stores a new incident in exactly the channel name it gives and returns it with its number. */
    Incident create(NewIncident incident, Instant at);

    /**
     * Stores a new incident in the first free channel name of those its channel name starts: the name
     * itself, else the name numbered -2, -3 ... The number to try is found in one indexed query (the
     * highest given out for that name), not name by name; one taken meanwhile (a declaration racing
     * this one) is skipped.
     */
    Incident createInFreeChannel(NewIncident incident, Instant at);

    /** The channel id of an incident whose channel is not yet created (its number and channel name are reserved). */
    String NO_CHANNEL_YET = "";

    /** Links a reserved incident to the channel created for it. */
    void attachChannel(long number, String channelId);

    /** Removes a reserved incident whose channel could not be created, so its number is used again. */
    void withdraw(long number);

    /** Incidents reserved but not yet linked to a channel (a declaration cut short by a crash or a store outage). */
    List<Incident> unlinked();

    Optional<Incident> find(long number);

    Optional<Incident> findByChannel(String platform, String channelId);

    /** Open incidents with a channel. */
    List<Incident> open();

    /** A page of the open incidents with a channel, in the order of {@link #open()}. */
    List<Incident> open(int offset, int limit);

    /**
     * How many open incidents with a channel there are, counting no further than {@code atMost}: a
     * count that stops, so a page of {@code /incident list} costs the same however many are open.
     */
    int countOpen(int atMost);

    /** Open incidents with a channel declared at or after {@code since}, in the order they were declared (an indexed range, not every open one). */
    List<Incident> openDeclaredSince(Instant since);

    List<Incident> all();

    void update(Incident incident);

    void append(TimelineEvent event);

    List<TimelineEvent> timeline(long number);

    /** At most {@code limit} of the timeline's events, oldest first, after skipping {@code offset}: one page. */
    List<TimelineEvent> timeline(long number, int offset, int limit);

    /** How many events the incident's timeline holds. */
    int timelineLength(long number);

    /** Gives the role to a person, ending whoever held it before. */
    void assignRole(long number, String role, String person, Instant at);

    List<RoleAssignment> roles(long number);

    record NewIncident(String severity, String title, boolean security, String platform, String channelId,
                       String channelName, String declaredBy) {}
}
