package dev.firebreak.kernel;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redactor for everything Firebreak posts, stores or logs. It masks every secret value
 * Firebreak holds (each {@link Secret} remembers itself here when it is created; start-up adds
 * keys found in RPC URLs), whatever text it turns up in, e.g. a service's error body echoing the
 * bearer token; and it masks token shapes that are never legitimate in output: Slack tokens
 * ({@code xoxb-}, {@code xapp-}), GitHub tokens ({@code ghp_}, {@code github_pat_}), bearer tokens,
 * and passwords in URLs ({@code user:password@}, {@code password=}), such as a store URL.
 */
public final class Redactor {

    public static final String MASK = "****";

    /**
     * Shorter values are not remembered, nor values of letters only shorter than
     * {@link #MIN_WORDLIKE_LENGTH} (a password such as {@code postgres}): masking them would mask
     * ordinary words everywhere, and such a value protects little anyway.
     */
    static final int MIN_SECRET_LENGTH = 8;
    static final int MIN_WORDLIKE_LENGTH = 12;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    /** Every known secret as a whole word (not inside a longer run of letters and digits), longest first. */
    private static volatile Pattern knownPattern;

    /**
     * A token shape and the literal text any match must contain ({@code needles}, lower case when
     * the shape ignores case), so the regex runs only on text that could hold such a token: most
     * text Firebreak posts holds none.
     */
    private record Shape(Pattern pattern, String replacement, boolean ignoringCase, List<String> needles) {
        boolean mayMatch(String text) {
            for (String needle : needles) {
                if (ignoringCase ? containsIgnoringCase(text, needle) : text.contains(needle)) return true;
            }
            return false;
        }

        /** {@code needle} is lower case; no lower-cased copy of the text is made, as one was for every text posted. */
        private static boolean containsIgnoringCase(String text, String needle) {
            char first = needle.charAt(0);
            char firstUpper = Character.toUpperCase(first);
            for (int i = 0, last = text.length() - needle.length(); i <= last; i++) {
                char c = text.charAt(i);
                if ((c == first || c == firstUpper) && text.regionMatches(true, i, needle, 0, needle.length())) return true;
            }
            return false;
        }
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("\\bxox[abposre]-[A-Za-z0-9-]{6,}"), MASK, false, List.of("xox")),
            new Shape(Pattern.compile("\\bxapp-[A-Za-z0-9-]{6,}"), MASK, false, List.of("xapp-")),
            new Shape(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{16,}"), MASK, false, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            new Shape(Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{16,}"), MASK, false, List.of("github_pat_")),
            new Shape(Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{6,}"), "$1" + MASK, true, List.of("bearer")),
            // scheme://user:password@host
            new Shape(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@"), "$1" + MASK + "@", true, List.of("://")),
            // password=... in JDBC URLs and connection strings
            new Shape(Pattern.compile("(?i)([?&;\\s]password=)[^&;\\s\"']+"), "$1" + MASK, true, List.of("password=")));

    /** Path segments of URLs that look like API keys: 20+ characters mixing letters and digits (Infura, Alchemy). */
    private static final Pattern KEY_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{20,}");
    private static final Pattern KEY_PARAMETER = Pattern.compile("(?i)(?:^|&)(?:api[_-]?key|apikey|key|token|access[_-]?token|secret|auth|password)=([^&]+)");

    private Redactor() {}

    /** Remembers a secret value so that it is masked wherever it appears from now on. */
    public static synchronized void remember(String secret) {
        if (secret == null) return;
        String value = secret.strip();
        boolean wordLike = value.chars().allMatch(Character::isLetter);
        if (value.length() < MIN_SECRET_LENGTH || wordLike && value.length() < MIN_WORDLIKE_LENGTH) return;
        if (KNOWN.add(value)) {
            knownPattern = Pattern.compile(KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote).collect(java.util.stream.Collectors.joining("|",
                            "(?<![A-Za-z0-9])(?:", ")(?![A-Za-z0-9])")));
        }
    }

    /** Remembers the secret parts of a URL: its password, key parameters and key-like path segments. */
    public static void rememberUrlCredentials(String url) {
        if (url == null || url.isBlank()) return;
        String text = url.strip();
        try {
            URI uri = URI.create(text);
            if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                remember(uri.getRawUserInfo().substring(uri.getRawUserInfo().indexOf(':') + 1));
            }
            if (uri.getRawPath() != null) {
                for (String segment : uri.getRawPath().split("/")) {
                    if (KEY_SEGMENT.matcher(segment).matches() && segment.chars().anyMatch(Character::isDigit)
                            && segment.chars().anyMatch(Character::isLetter)) {
                        remember(segment);
                    }
                }
            }
            if (uri.getRawQuery() != null) {
                Matcher parameter = KEY_PARAMETER.matcher(uri.getRawQuery());
                while (parameter.find()) remember(parameter.group(1));
            }
        } catch (IllegalArgumentException e) {
            // not a URL after all: nothing more to remember
        }
    }

    /** The text with every known secret and every token shape replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        Pattern known = knownPattern;
        if (known != null && containsKnown(out)) out = known.matcher(out).replaceAll(MASK);
        for (Shape shape : SHAPES) {
            if (shape.mayMatch(out)) out = shape.pattern().matcher(out).replaceAll(shape.replacement());
        }
        return out;
    }

    private static boolean containsKnown(String text) {
        for (String secret : KNOWN) {
            if (text.contains(secret)) return true;
        }
        return false;
    }
}
