package dev.firebreak.probe.k8s;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from log text before it reaches chat: PEM private keys, private keys and
 * mnemonics given as key=value or flags, bearer tokens and JWTs, passwords, credentials in URLs
 * (user:password@, key/token query parameters, API keys in the path as Infura and Alchemy use).
 */
public final class LogRedactor {

    static final String MASK = "****";

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\\z)",
                    Pattern.DOTALL), "-----BEGIN PRIVATE KEY----- " + MASK + " -----END PRIVATE KEY-----"),
            // --private-key 0xabc, PRIVATE_KEY=..., "mnemonic": "...", password: ...
            labelled("private[_-]?key|priv[_-]?key|secret|mnemonic|seed[_-]?phrase|password|passwd|pwd"),
            new Rule(Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)((?:x-)?(?:api[_-]?key|auth[_-]?token|access[_-]?token|authorization)[\"']?\\s*[=:]\\s*[\"']?(?:(?:bearer|basic|token)\\s+)?)([^\\s\"',}&]+)"),
                    "$1" + MASK),
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+"), MASK),
            // scheme://user:password@host
            new Rule(Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@"), "$1" + MASK + "@"),
            // ?key=...&token=...
            new Rule(Pattern.compile("(?i)([?&](?:api[_-]?key|apikey|key|token|access[_-]?token|secret|auth|sig|signature)=)[^&\\s\"']+"),
                    "$1" + MASK));

    private static Rule labelled(String names) {
        String flag = "--[\\w-]*(?:" + names + ")[\\w-]*(?:\\s+|=)";
        String assignment = "[\\w.-]*(?:" + names + ")[\\w.-]*[\"']?\\s*[=:]\\s*";
        String value = "\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s\"',}&]+";
        return new Rule(Pattern.compile("(?i)(" + flag + "|" + assignment + ")(" + value + ")"), "$1" + MASK);
    }

    /** Path segments of URLs that look like keys: 20+ characters mixing letters and digits. */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|wss?)://[^\\s\"'<>]+");
    private static final Pattern KEY_SEGMENT = Pattern.compile("/([A-Za-z0-9_-]{20,})(?=/|$|\\?|#)");

    private LogRedactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) return "";
        String out = text;
        for (Rule rule : RULES) {
            out = rule.pattern().matcher(out).replaceAll(rule.replacement());
        }
        return redactUrlPathKeys(out);
    }

    private static String redactUrlPathKeys(String text) {
        Matcher urls = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (urls.find()) {
            Matcher segments = KEY_SEGMENT.matcher(urls.group());
            StringBuilder url = new StringBuilder();
            while (segments.find()) {
                String segment = segments.group(1);
                boolean looksLikeKey = segment.chars().anyMatch(Character::isDigit)
                        && segment.chars().anyMatch(Character::isLetter);
                segments.appendReplacement(url, Matcher.quoteReplacement(looksLikeKey ? "/" + MASK : segments.group()));
            }
            segments.appendTail(url);
            urls.appendReplacement(out, Matcher.quoteReplacement(url.toString()));
        }
        urls.appendTail(out);
        return out.toString();
    }
}
