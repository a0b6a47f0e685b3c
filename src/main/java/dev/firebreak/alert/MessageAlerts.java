package dev.firebreak.alert;

import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages in the alerts channel that a message rule of {@code bot/alerts.yaml} matches (their
 * author and text) are raised as alerts through {@link AlertIntake}: the same rules, grouping and
 * dedupe as Alertmanager's. A message that matches nothing, or is posted anywhere else, is left alone.
 */
public final class MessageAlerts {

    private static final Logger log = LoggerFactory.getLogger(MessageAlerts.class);
    /** The source of the alerts raised here, in their labels and group keys. */
    public static final String SOURCE = "message";
    private static final int MAX_SUMMARY = 300;

    private record Compiled(AlertsConfig.MessageRule rule, Pattern author, Pattern text) {}

    private final List<Compiled> rules;
    private final AlertIntake intake;
    private final ChatPlatforms platforms;

    /** {@code config}'s message rules; one that does not compile is left out (the configuration check reports it). */
    public MessageAlerts(AlertsConfig config, AlertIntake intake, ChatPlatforms platforms) {
        List<Compiled> compiled = new java.util.ArrayList<>();
        for (AlertsConfig.MessageRule rule : config.messages()) {
            try {
                compiled.add(new Compiled(rule, rule.author() == null ? null : Pattern.compile(rule.author()), Pattern.compile(rule.text())));
            } catch (RuntimeException e) {
                // reported by the configuration check, which stops start-up
            }
        }
        this.rules = List.copyOf(compiled);
        this.intake = intake;
        this.platforms = platforms;
    }

    public void onMessage(Inbound.ChannelMessage message) {
        Optional<ChatPlatforms.Connected> connected = platforms.find(message.platform());
        if (connected.isEmpty() || !connected.get().alerts().id().equals(message.channelId())) return;
        for (Compiled compiled : rules) {
            if (compiled.author() != null && !compiled.author().matcher(message.userId()).matches()) continue;
            Matcher text = compiled.text().matcher(message.text());
            if (!text.find()) continue;
            AlertsConfig.MessageRule rule = compiled.rule();
            String summary = oneLine(group(text, "summary").orElse(rule.name()));
            String severity = group(text, "severity").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse(rule.severity());
            Map<String, String> labels = new LinkedHashMap<>(rule.labels());
            labels.putIfAbsent("alertname", rule.name());
            labels.put("author", message.userId());
            AlertSignal signal = new AlertSignal(SOURCE, key(rule.name(), summary), labels, severity, summary);
            try {
                intake.raise(signal);
            } catch (RuntimeException e) {
                log.warn("A message in the alerts channel matched rule {} but could not be recorded as an alert: {}",
                        rule.name(), e.toString());
            }
            return;
        }
    }

    private static Optional<String> group(Matcher matcher, String name) {
        if (!matcher.pattern().namedGroups().containsKey(name)) return Optional.empty();
        return Optional.ofNullable(matcher.group(name)).filter(s -> !s.isBlank());
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY - 1) + "\u2026";
    }

    /** The same rule and summary is the same alert, so a monitor that posts it again changes nothing. */
    private static String key(String rule, String summary) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((rule + "\n" + summary.toLowerCase(Locale.ROOT))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
