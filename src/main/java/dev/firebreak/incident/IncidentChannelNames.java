package dev.firebreak.incident;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code inc-20261123-l2-blocks-stopped}: prefix, UTC date, title slug; the store appends a number
 * when it is taken ({@link IncidentRepository#createInFreeChannel}). A security incident's channel
 * says nothing of it: {@code inc-20261123-sec-k3v9qa}.
 */
public final class IncidentChannelNames {

    private static final int MAX_SLUG = 50;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IncidentChannelNames() {}

    /** A security incident's channel: prefix, UTC date, {@code sec} and six random characters; the title is left out. */
    public static String ofSecurity(String prefix, LocalDate date) {
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 6; i++) random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return prefix + "-" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "-sec-" + random;
    }

    public static String of(String prefix, LocalDate date, String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        if (slug.isEmpty()) slug = "incident";
        return prefix + "-" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + slug;
    }
}
