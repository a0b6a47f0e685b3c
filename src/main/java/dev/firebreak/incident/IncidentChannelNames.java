package dev.firebreak.incident;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code inc-20261123-l2-blocks-stopped}: prefix, UTC date, title slug; a number is appended when
 * taken. A security incident's channel says nothing of it: {@code inc-20261123-sec-k3v9qa}.
 */
public final class IncidentChannelNames {

    private static final int MAX_SLUG = 50;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IncidentChannelNames() {}

    /** A security incident's channel: prefix, UTC date, {@code sec} and six random characters; the title is left out. */
    public static String ofSecurity(String prefix, LocalDate date, Predicate<String> taken) {
        String name;
        do {
            StringBuilder random = new StringBuilder();
            for (int i = 0; i < 6; i++) random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            name = prefix + "-" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "-sec-" + random;
        } while (taken.test(name));
        return name;
    }

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
