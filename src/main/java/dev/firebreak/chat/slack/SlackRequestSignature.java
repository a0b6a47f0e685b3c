package dev.firebreak.chat.slack;

import dev.firebreak.kernel.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks Slack's request signature: {@code X-Slack-Signature = v0=hex(HMAC-SHA256(secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body))}, compared in constant time, with the
 * timestamp no more than five minutes from the injected clock in either direction.
 */
final class SlackRequestSignature {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final Secret signingSecret;
    private final Clock clock;

    SlackRequestSignature(Secret signingSecret, Clock clock) {
        if (!signingSecret.isPresent()) throw new IllegalArgumentException("SLACK_SIGNING_SECRET is empty");
        this.signingSecret = signingSecret;
        this.clock = clock;
    }

    /** Empty when the request is genuine and fresh, else why it is rejected (safe to log). */
    Optional<String> problem(String timestamp, String signature, byte[] body) {
        if (timestamp == null || timestamp.isBlank()) return Optional.of("missing X-Slack-Request-Timestamp");
        if (signature == null || signature.isBlank()) return Optional.of("missing X-Slack-Signature");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of("X-Slack-Request-Timestamp is not a number");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > MAX_SKEW.toSeconds()) {
            return Optional.of("timestamp is " + skew + " s away from now (at most " + MAX_SKEW.toSeconds() + " s allowed)");
        }
        byte[] expected = expected(timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = signature.trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual) ? Optional.empty() : Optional.of("signature does not match");
    }

    private String expected(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
