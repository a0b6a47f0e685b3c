package dev.firebreak.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps are stored as fixed-width ISO-8601 UTC text (microseconds), which sorts and
 * compares correctly as text on both databases.
 */
final class Times {

    private static final DateTimeFormatter FIXED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    static String format(Instant at) {
        return at == null ? null : FIXED.format(at);
    }

    /**
     * Reads what {@link #format} wrote without the JDK's general parser, which builds a map of
     * fields for every value: a timeline of thousands of events is read on every page. Text in
     * any other shape (older rows, hand edits) goes to {@link Instant#parse}.
     */
    static Instant parse(String text) {
        if (text == null) return null;
        if (text.length() != FIXED_LENGTH || !separators(text)) return Instant.parse(text);
        try {
            long seconds = LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10), digits(text, 11, 13),
                    digits(text, 14, 16), digits(text, 17, 19)).toEpochSecond(ZoneOffset.UTC);
            return Instant.ofEpochSecond(seconds, digits(text, 20, 26) * 1_000L);
        } catch (DateTimeException | NumberFormatException e) {
            return Instant.parse(text);
        }
    }

    /** {@code 2026-12-03T12:47:15.123456Z} */
    private static final int FIXED_LENGTH = 27;

    private static boolean separators(String text) {
        return text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(26) == 'Z';
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException(text);
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
