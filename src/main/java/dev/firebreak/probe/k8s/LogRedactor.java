package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.Redactor;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from pod logs and events before they reach chat. On top of the
 * {@link Redactor} (every secret Firebreak holds, Slack and GitHub token shapes, bearer tokens,
 * passwords in URLs), it catches what a log is likely to hold: PEM private keys; private-key-shaped
 * hex (64 hex digits, with or without 0x) unless it is labelled as a hash, root, block or
 * transaction; values labelled as keys or signers ({@code key=}, {@code signer-key=},
 * {@code OP_BATCHER_SIGNER=}, {@code --signer.key}), private keys, mnemonics, passwords and
 * secrets; JWTs; key and token query parameters and API keys in URL paths (Infura, Alchemy).
 */
public final class LogRedactor {

    static final String MASK = "****";

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\\z)",
                    Pattern.DOTALL), "-----BEGIN PRIVATE KEY----- " + MASK + " -----END PRIVATE KEY-----"),
            // --private-key 0xabc, PRIVATE_KEY=..., "mnemonic": "...", password: ...
            labelled("private[_-]?key|priv[_-]?key|secret|mnemonic|seed[_-]?phrase|password|passwd|pwd"),
            // key=..., signer-key=..., OP_BATCHER_SIGNER=..., --signer.key ..., "key": "..."
            new Rule(Pattern.compile("(?i)(--[\\w.-]*(?:key|signer)(?:\\s+|=)|\\b[\\w.-]*(?:key|signer)[\"']?\\s*[=:]\\s*[\"']?)"
                    + "(?!\\*\\*\\*\\*)([^\\s\"',}&]+)"), "$1" + MASK),
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

    /** 64 hex digits standing alone: the shape of a private key (and of hashes, which are labelled). */
    private static final Pattern KEY_SHAPED_HEX = Pattern.compile("(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])");
    private static final Pattern HASH_LABEL = Pattern.compile("(?i)(?:hash|root|tx|txid|block|parent|head|digest|commit)[\\w-]*[\"']?\\s*[=:]?\\s*[\"']?$");

    /** Path segments of URLs that look like keys: 20+ characters mixing letters and digits. */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|wss?)://[^\\s\"'<>]+");
    private static final Pattern KEY_SEGMENT = Pattern.compile("/([A-Za-z0-9_-]{20,})(?=/|$|\\?|#)");

    private LogRedactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) return "";
        String out = Redactor.redact(text);
        for (Rule rule : RULES) {
            out = rule.pattern().matcher(out).replaceAll(rule.replacement());
        }
        return redactKeyShapedHex(redactUrlPathKeys(out));
    }

    private static String redactKeyShapedHex(String text) {
        Matcher hex = KEY_SHAPED_HEX.matcher(text);
        StringBuilder out = new StringBuilder();
        while (hex.find()) {
            String before = text.substring(Math.max(0, hex.start() - 24), hex.start());
            hex.appendReplacement(out, Matcher.quoteReplacement(HASH_LABEL.matcher(before).find() ? hex.group() : MASK));
        }
        hex.appendTail(out);
        return out.toString();
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
