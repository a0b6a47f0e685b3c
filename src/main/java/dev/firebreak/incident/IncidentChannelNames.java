package dev.firebreak.incident;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Predicate;

/** {@code inc-20261123-l2-blocks-stopped}: prefix, UTC date, title slug; a number is appended when taken. */
public final class IncidentChannelNames {

    private static final int MAX_SLUG = 50;

    private IncidentChannelNames() {}

    public static String of(String prefix, LocalDate date, String title, Predicate<String> taken) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        if (slug.isEmpty()) slug = "incident";
        String base = prefix + "-" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + slug;
        String name = base;
        for (int n = 2; taken.test(name); n++) name = base + "-" + n;
        return name;
    }
}
