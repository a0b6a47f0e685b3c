package dev.firebreak.incident;

import java.util.LinkedHashMap;
import java.util.Map;

/** An event to record, before it has an incident and a time: what, from where, by whom, and its details. */
public record TimelineEntry(TimelineEvent.Type type, TimelineEvent.Source source, String actor, String text,
                            Map<String, String> details) {

    public TimelineEntry {
        details = Map.copyOf(details);
    }

    /** An event a person caused from chat. */
    public static TimelineEntry of(TimelineEvent.Type type, String actor, String text) {
        return new TimelineEntry(type, TimelineEvent.Source.PERSON, actor, text, Map.of());
    }

    public TimelineEntry from(TimelineEvent.Source source) {
        return new TimelineEntry(type, source, actor, text, details);
    }

    public TimelineEntry with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new TimelineEntry(type, source, actor, text, more);
    }
}
