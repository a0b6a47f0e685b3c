package dev.firebreak.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The message templates in {@code templates/} (Mustache). Chat text is not HTML, so nothing is
 * escaped; a missing value renders as empty rather than failing mid-incident.
 */
public final class Templates {

    /** Templates the engine uses; {@code firebreak check} reports any that are missing. */
    public static final Set<String> REQUIRED = Set.of("kickoff", "security-kickoff", "announcement", "status-update",
            "resolution-notice", "status-page-investigating", "status-page-resolved", "incident-report",
            "security-statement", "postmortem", "handoff", "reminder");

    private final Map<String, Template> templates;

    private Templates(Map<String, Template> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** Loads every {@code *.mustache} file; problems are reported as {@code name: message}. */
    public static Templates load(Path folder, List<String> problems) {
        Map<String, Template> compiled = new TreeMap<>();
        Mustache.Compiler compiler = Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mustache")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".mustache", "");
                try {
                    compiled.put(name, compiler.compile(Files.readString(file)));
                } catch (MustacheException e) {
                    problems.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add(folder + ": cannot be read: " + e.getMessage());
        }
        for (String required : REQUIRED) {
            if (!compiled.containsKey(required)) problems.add(required + ".mustache: missing");
        }
        return new Templates(compiled);
    }

    public boolean has(String name) {
        return templates.containsKey(name);
    }

    public String render(String name, Map<String, ?> values) {
        Template template = templates.get(name);
        if (template == null) throw new IllegalArgumentException("no template named " + name);
        return template.execute(values).strip();
    }

    public Set<String> names() {
        return templates.keySet();
    }
}
