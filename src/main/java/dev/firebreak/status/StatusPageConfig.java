package dev.firebreak.status;

import dev.firebreak.kernel.Secret;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code bot/status-page.yaml}: the public status page's title and components, and, optionally,
 * the Atlassian Statuspage page its updates are also pushed to.
 *
 * @param statuspage absent, or with an empty key and page id, when nothing is pushed
 */
public record StatusPageConfig(String title, List<Component> components, Hosted statuspage) {

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /**
     * One component as the public sees it.
     *
     * @param id          what people type in {@code /incident post status-page <component> ...}
     * @param statuspage  its component id on Statuspage, when updates are pushed there
     */
    public record Component(String id, String name, String description, String statuspage) {}

    /** Statuspage's incident API: {@code STATUSPAGE_API_KEY}, {@code STATUSPAGE_PAGE_ID} and its base URL. */
    public record Hosted(Secret apiKey, String pageId, String apiUrl) {

        public boolean configured() {
            return apiKey != null && apiKey.isPresent() && pageId != null && !pageId.isBlank();
        }
    }

    public StatusPageConfig {
        title = title == null || title.isBlank() ? "Status" : title.strip();
        components = components == null ? List.of() : List.copyOf(components);
    }

    /** No status page configured: no components, nothing pushed. */
    public static StatusPageConfig none() {
        return new StatusPageConfig(null, List.of(), null);
    }

    public Optional<Component> component(String id) {
        return components.stream().filter(c -> c.id() != null && c.id().equals(id)).findFirst();
    }

    public String componentIds() {
        return String.join(", ", components.stream().map(Component::id).toList());
    }

    /** Where the updates are pushed, when both the key and the page id are set. */
    public Optional<Hosted> pushTo() {
        return statuspage == null || !statuspage.configured() ? Optional.empty() : Optional.of(statuspage);
    }

    /** Problems as {@code path: problem; fix}, for the one configuration check. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            String at = "components[" + i + "]";
            if (c == null) {
                problems.add(at + ": empty; give it an id and a name, e.g. {id: rpc, name: RPC}");
                continue;
            }
            if (c.id() == null || !ID.matcher(c.id()).matches()) {
                problems.add(at + ".id: '" + (c.id() == null ? "" : c.id()) + "' is not lowercase words joined by -; "
                        + "rename it, e.g. bridge-deposits (people type it in /incident post status-page)");
            } else if (!ids.add(c.id())) {
                problems.add(at + ".id: " + c.id() + " is used by an earlier component; give each component a unique id");
            }
            if (c.name() == null || c.name().isBlank()) {
                problems.add(at + ".name: missing; give the name the public sees, e.g. Bridge deposits and withdrawals");
            }
        }
        if (statuspage != null) {
            boolean key = statuspage.apiKey() != null && statuspage.apiKey().isPresent();
            boolean page = statuspage.pageId() != null && !statuspage.pageId().isBlank();
            if (key != page) {
                problems.add("statuspage: " + (key ? "STATUSPAGE_API_KEY is set but STATUSPAGE_PAGE_ID is not"
                        : "STATUSPAGE_PAGE_ID is set but STATUSPAGE_API_KEY is not")
                        + "; set both to push updates to Statuspage, or neither");
            }
            if (key && page) {
                if (!validUrl(statuspage.apiUrl())) {
                    problems.add("statuspage.apiUrl: '" + statuspage.apiUrl() + "' is not an http:// or https:// URL; "
                            + "leave it at https://api.statuspage.io or point it at your Statuspage API");
                }
                for (int i = 0; i < components.size(); i++) {
                    Component c = components.get(i);
                    if (c != null && (c.statuspage() == null || c.statuspage().isBlank())) {
                        problems.add("components[" + i + "].statuspage: " + c.id() + " has no Statuspage component id, so its state "
                                + "cannot be pushed; copy the component's id from Statuspage (Components, the id in its URL)");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean validUrl(String url) {
        if (url == null || !url.matches("https?://.+")) return false;
        try {
            return URI.create(url).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
