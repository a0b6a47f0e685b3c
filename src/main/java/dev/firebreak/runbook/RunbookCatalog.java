package dev.firebreak.runbook;

import dev.firebreak.incident.RunbookSuggestions;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
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
     * The ids a mistyped {@code id} was probably meant to be, closest first, at most three: those
     * within a few edits of it (a third of its length, at least two), else those containing it.
     */
    public List<String> closestTo(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        int allowed = Math.max(2, wanted.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(allowed);
        List<String> near = runbooks.keySet().stream()
                .filter(known -> distance.apply(wanted, known) >= 0)
                .sorted(Comparator.comparingInt((String known) -> distance.apply(wanted, known)).thenComparing(known -> known))
                .limit(3).toList();
        if (!near.isEmpty() || wanted.length() < 3) return near;
        return runbooks.keySet().stream().filter(known -> known.contains(wanted)).sorted().limit(3).toList();
    }

    /** What to tell someone who named a runbook that does not exist: the closest ids, and where the rest are. */
    public String unknown(String id) {
        List<String> near = closestTo(id);
        return "Unknown runbook " + id + "." + (near.isEmpty() ? "" : " Did you mean " + String.join(", ", near) + "?")
                + " /runbook list shows all " + runbooks.size() + ".";
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
