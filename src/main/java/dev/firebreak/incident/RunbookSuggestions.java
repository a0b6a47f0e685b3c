package dev.firebreak.incident;

import java.util.List;

/** The runbooks that fit a new incident, best first; the kickoff names them. */
@FunctionalInterface
public interface RunbookSuggestions {

    List<String> forIncident(String title, boolean security);
}
