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
