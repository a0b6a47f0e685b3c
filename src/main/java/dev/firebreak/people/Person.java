package dev.firebreak.people;

import java.util.List;
import java.util.Map;

/**
 * Someone Firebreak knows, from {@code bot/firebreak.yaml}.
 *
 * @param key   the configuration key, e.g. {@code alice}: how the timeline names them
 * @param name  the display name
 * @param roles permission roles, e.g. commander, responder, approver
 * @param ids   immutable platform user ids by platform (console, slack, discord)
 */
public record Person(String key, String name, List<String> roles, Map<String, String> ids) {

    public Person {
        roles = List.copyOf(roles);
        ids = Map.copyOf(ids);
    }

    public boolean hasRole(String role) {
        return role == null || role.isBlank() || roles.contains(role);
    }

    public boolean hasAnyRole(List<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }
}
