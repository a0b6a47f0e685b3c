package dev.firebreak.contract;

import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.config.TeamFile;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every driver shares: the repository's own configuration (bot/, commands/, runbooks/,
 * templates/), loaded as {@code Main} loads it, with the sequencer service pointed at a local
 * stand-in that records anchor requests, and the sequencer database ({@code bot/databases.yaml})
 * a SQLite file shaped like the demo's ({@link #addDeadLetters} adds to it); the demo people of {@code bot/firebreak.yaml}; and a folder for the
 * SQLite store.
 */
final class ContractEnvironment implements AutoCloseable {

    /** The sequencer's API token: Firebreak sends it to the sequencer and must never show it. */
    static final String SEQUENCER_TOKEN = "sequencer-token-7f3a9c-must-not-leak";

    final DemoSequencerService sequencer;
    /** The configuration the next start uses; {@link #withoutRole} changes it, as editing bot/firebreak.yaml and restarting would. */
    FirebreakConfig config;
    final People people;
    final Path data;
    private final Path sequencerDatabase;

    private ContractEnvironment(DemoSequencerService sequencer, FirebreakConfig config, Path data, Path sequencerDatabase) {
        this.sequencer = sequencer;
        this.config = config;
        this.people = new People(config.people());
        this.data = data;
        this.sequencerDatabase = sequencerDatabase;
    }

    static ContractEnvironment start(Path data) {
        return start(data, Path.of("."));
    }

    /** The same on the configuration under {@code configRoot} (a copy of the repository's, changed by the test). */
    static ContractEnvironment start(Path data, Path configRoot) {
        DemoSequencerService sequencer = DemoSequencerService.start(SEQUENCER_TOKEN);
        try {
            Path database = sequencerDatabase(data);
            FirebreakConfig config = new ConfigLoader(configRoot, Map.of(
                    "SEQUENCER_URL", sequencer.url(), "SEQUENCER_API_TOKEN", SEQUENCER_TOKEN,
                    "SEQUENCER_DB_URL", "jdbc:sqlite:" + database.toAbsolutePath())).load();
            return new ContractEnvironment(sequencer, config, data, database);
        } catch (RuntimeException e) {
            sequencer.close();
            throw e;
        }
    }

    /** The demo's sequencer database, as a SQLite file. */
    private static Path sequencerDatabase(Path data) {
        Path file = data.resolve("sequencer.db");
        try {
            dev.firebreak.demo.sql.DemoSequencerDatabase.create(dev.firebreak.demo.sql.DemoSequencerDatabase.sqliteFile(file),
                    java.time.Clock.systemUTC());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the sequencer database", e);
        }
        return file;
    }

    /**
     * Adds {@code count} dead-letter events to the sequencer database, older than the demo's, so
     * {@code /diag dead-letters sequencer} shows the demo's first and then ours, newest first; returns
     * how many there are now.
     */
    int addDeadLetters(int count) {
        try (java.sql.Connection connection = dev.firebreak.demo.sql.DemoSequencerDatabase.sqliteFile(sequencerDatabase).getConnection();
             java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letter_events "
                     + "(tenant_id, store_id, sequence_number, reason, payload, created_at) VALUES ('acme', 'main', ?, ?, '{}', ?)")) {
            for (int i = 1; i <= count; i++) {
                insert.setLong(1, 100 + i);
                insert.setString(2, deadLetterReason(count + 1 - i));
                insert.setString(3, java.time.Instant.parse("2020-01-01T00:00:00Z").plusSeconds(i).toString());
                insert.executeUpdate();
            }
            try (var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM dead_letter_events")) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not add dead letters", e);
        }
    }

    /** The reason of dead letter {@code n} added by {@link #addDeadLetters} (1 is the newest of them). */
    static String deadLetterReason(int n) {
        return String.format("replay-failure-%02d", n);
    }

    /**
     * What line {@code n} (from 1) of {@code /diag dead-letters sequencer} shows that no other line
     * does, once {@link #addDeadLetters} added ours after the demo's newer ones.
     */
    static String deadLetter(int n) {
        int demo = dev.firebreak.demo.sql.DemoSequencerDatabase.DEAD_LETTERS;
        if (n <= demo) throw new IllegalArgumentException("line " + n + " is one of the demo's dead letters");
        return deadLetterReason(n - demo);
    }

    /** From the next start on, {@code person} no longer holds {@code role}. */
    void withoutRole(String person, String role) {
        List<Person> people = config.people().stream().map(p -> !p.key().equals(person) ? p
                : new Person(p.key(), p.name(), p.roles().stream().filter(r -> !r.equals(role)).toList(), p.ids())).toList();
        config = config.withPeople(people);
    }

    /** From the next start on, holders of these roles get access to every security incident's channel. */
    void withSecurityResponders(String... roles) {
        TeamFile.Channels channels = config.channels();
        config = new FirebreakConfig(new TeamFile.Channels(channels.incidents(), channels.alerts(), channels.incidentChannelPrefix(),
                List.of(roles)), config.roles(), config.people(), config.severities(), config.policies(), config.services(),
                config.chains(), config.clusters(), config.databases(), config.commands(), config.runbooks(), config.templates(), config.alerts(), config.snapshot(), config.statusPage(), config.watchers(), config.schedules(), config.oncall());
    }

    String databaseUrl() {
        return "jdbc:sqlite:" + data.resolve("firebreak.db");
    }

    /** A demo person's id on a platform, from bot/firebreak.yaml. */
    String idOf(String person, String platform) {
        return people.platformId(person, platform)
                .orElseThrow(() -> new IllegalArgumentException(person + " has no " + platform + " id in bot/firebreak.yaml"));
    }

    /** The demo person with this platform id, or the id itself when nobody has it. */
    String personWithId(String platform, String id) {
        return people.byPlatformId(platform, id).map(p -> p.key()).orElse(id);
    }

    @Override
    public void close() {
        sequencer.close();
    }
}
