package dev.firebreak.kernel;

/**
 * One thing wrong with the configuration: where (file and line, or the path inside the file),
 * what is wrong, and how to fix it.
 */
public record ConfigProblem(String file, String location, String problem, String fix) {

    @Override
    public String toString() {
        return file + (location.isEmpty() ? "" : ":" + location) + ": " + problem
                + (fix.isEmpty() ? "" : ". Fix: " + fix);
    }
}
