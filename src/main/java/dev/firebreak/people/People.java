package dev.firebreak.people;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks people up by their immutable platform ids; display names never identify anyone. */
public final class People {

    private final Map<String, Person> byKey = new LinkedHashMap<>();
    private final Map<String, Person> byPlatformId = new LinkedHashMap<>();

    public People(Collection<Person> people) {
        for (Person person : people) {
            byKey.put(person.key(), person);
            person.ids().forEach((platform, id) -> byPlatformId.put(platform + ":" + id, person));
        }
    }

    public Optional<Person> byPlatformId(String platform, String userId) {
        return Optional.ofNullable(byPlatformId.get(platform + ":" + userId));
    }

    public Optional<Person> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /**
     * A person as typed in a command: their key ({@code bob}, {@code @bob}) or a platform mention
     * ({@code <@U0BOB>}, {@code <@U0BOB|bob>}, {@code <@!100000000000000002>}), matched by the
     * immutable id it carries on {@code platform}.
     */
    public Optional<Person> byReference(String platform, String typed) {
        String text = typed == null ? "" : typed.strip();
        java.util.regex.Matcher mention = MENTION.matcher(text);
        if (mention.matches()) return byPlatformId(platform, mention.group(1));
        return byKey(text.startsWith("@") ? text.substring(1) : text);
    }

    private static final java.util.regex.Pattern MENTION = java.util.regex.Pattern.compile("<@!?([A-Za-z0-9]+)(?:\\|[^>]*)?>");

    public List<Person> withAnyRole(List<String> roles) {
        return byKey.values().stream().filter(p -> p.hasAnyRole(roles)).toList();
    }

    public Collection<Person> all() {
        return byKey.values();
    }

    /** A person's id on a platform, or empty when they have none there. */
    public Optional<String> platformId(String personKey, String platform) {
        return byKey(personKey).map(p -> p.ids().get(platform));
    }
}
