package dev.firebreak.config;

import dev.firebreak.kernel.ConfigProblem;

import java.util.List;

/** The configuration has problems; all of them are listed, so they can be fixed in one go. */
public class InvalidConfiguration extends RuntimeException {

    private final List<ConfigProblem> problems;

    public InvalidConfiguration(List<ConfigProblem> problems) {
        super(problems.size() + " configuration problem(s):\n" + String.join("\n",
                problems.stream().map(p -> "  " + p).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
