package dev.firebreak.runbook;

import dev.firebreak.incident.RunbookSuggestions;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The runbooks in {@code runbooks/}, by id, and which of them fit an incident's title. */
public final class RunbookCatalog implements RunbookSuggestions {

    private final Map<String, Runbook> runbooks;

    public RunbookCatalog(Map<String, Runbook> runbooks) {
        this.runbooks = Map.copyOf(runbooks);
    }

    public Optional<Runbook> find(String id) {
        return Optional.ofNullable(runbooks.get(id.toLowerCase(Locale.ROOT)));
    }

    public Collection<Runbook> all() {
        return runbooks.values();
    }

    /**
     * The runbooks whose title and symptoms share the most words with the incident's title, at
     * most three, by id when equally good (seed packs overlap: "blocks stopped" is in more than
     * one); the generic first response when nothing matches.
     */
    @Override
    public List<String> forIncident(String title, boolean security) {
        if (security && runbooks.containsKey("jeju-security-breach")) return List.of("jeju-security-breach");
        List<String> words = Arrays.stream(title.toLowerCase(Locale.ROOT).split("\\W+"))
                .filter(w -> w.length() > 3).toList();
        Map<String, Long> matches = new TreeMap<>();
        for (Runbook r : runbooks.values()) {
            String text = (r.title() + " " + String.join(" ", r.symptoms())).toLowerCase(Locale.ROOT);
            matches.put(r.id(), words.stream().filter(text::contains).count());
        }
        long best = matches.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (best == 0) return runbooks.containsKey("first-response") ? List.of("first-response") : List.of();
        return matches.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).limit(3).toList();
    }
}
